package emulator

import (
	"errors"
	"net/http"
	"sort"
	"time"
)

// Defaults used when Options leaves a field zero.
const (
	// DefaultAccessKeyID and DefaultAccessKeySecret are the test account
	// used when Options.Accounts is empty. They are public test values, not
	// secrets of any real account.
	DefaultAccessKeyID     = "LTAI5tAcsConformTestKey"
	DefaultAccessKeySecret = "AcsConformTestSecretNotSecret0"
	// DefaultBastionhostInstance and DefaultBastionhostInstance2 are the
	// two bastion hosts every account has when Options.BastionhostInstances
	// is empty: two, so that a user name unique per instance can be told
	// from one unique per account.
	DefaultBastionhostInstance  = "bastionhost-cn-emulator01"
	DefaultBastionhostInstance2 = "bastionhost-cn-emulator02"
	// DefaultRAMUserQuota is the RAM user quota per account when
	// Options.RAMUserQuota is zero.
	DefaultRAMUserQuota = 1000
	// DefaultEDSUserQuota is the eds-user users an account may hold when
	// Options.EDSUserQuota is zero: a bound on memory, not a documented
	// quota.
	DefaultEDSUserQuota = 100_000
	// DefaultBastionhostUserQuota is the users a bastion host instance may
	// hold when Options.BastionhostUserQuota is zero: a bound on memory,
	// not a documented quota.
	DefaultBastionhostUserQuota = 100_000
)

// Options configure an Emulator. The zero value is a working emulator with
// the default test account.
type Options struct {
	// Accounts maps each accepted AccessKeyId to its secret; empty means
	// DefaultAccessKeyID with DefaultAccessKeySecret. Each AccessKeyId is
	// its own account, with its own users.
	Accounts map[string]string
	// BastionhostInstances are the bastion host InstanceIds every account
	// has; empty means DefaultBastionhostInstance and
	// DefaultBastionhostInstance2.
	BastionhostInstances []string
	// RAMUserQuota is the number of RAM users an account may hold; 0 means
	// DefaultRAMUserQuota.
	RAMUserQuota int
	// NoAuth skips signature checks. The AccessKeyId a request names, if it
	// is configured, still selects the account; any other request uses one
	// shared anonymous account.
	NoAuth bool
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Addr is where Start listens; "" means 127.0.0.1:0 (a free port).
	// New ignores it.
	Addr string
	// Faults are named fault injections (Faults lists them), each breaking
	// one documented behaviour, for proving a conformance suite; empty
	// means none. Start returns an error naming an unknown one, New panics
	// on it (check names with CheckFaults first).
	Faults []string
	// Answers force documented error answers on matching requests (see
	// ForcedAnswer); empty means none. Start returns an error naming an
	// invalid one, New panics on it (check them with CheckAnswers first).
	Answers []ForcedAnswer
	// EDSUserQuota is the number of eds-user users an account may hold; 0
	// means DefaultEDSUserQuota.
	EDSUserQuota int
	// BastionhostUserQuota is the number of users a bastion host instance
	// may hold; 0 means DefaultBastionhostUserQuota.
	BastionhostUserQuota int
}

// Check returns an error naming every unknown fault and invalid forced
// answer of o.
func (o Options) Check() error {
	return errors.Join(CheckFaults(o.Faults), CheckAnswers(o.Answers))
}

// Emulator is the reference emulator, an http.Handler serving the three
// operations at "/". It is safe for concurrent use.
type Emulator struct {
	opts      Options
	now       func() time.Time
	secrets   map[string]string
	accounts  map[string]*account
	anonymous *account
	nonces    *nonceCache
	keys      keyer
	faults    faultSet
	forcings  []*forcing
	// shared is the Bastionhost call window of every account under
	// FaultThrottleShared.
	shared *account
	stall  stall
}

// New returns an emulator configured by opts, every account empty. It
// panics on options Check refuses (an unknown fault, an invalid forced
// answer); Start returns that as an error instead.
func New(opts Options) *Emulator {
	if err := opts.Check(); err != nil {
		panic("emulator: " + err.Error())
	}
	opts = withDefaults(opts)
	e := &Emulator{
		opts:     opts,
		now:      opts.Now,
		secrets:  opts.Accounts,
		accounts: make(map[string]*account, len(opts.Accounts)),
		nonces:   newNonceCache(),
		keys:     newKeyer(),
		faults:   newFaultSet(opts.Faults),
		forcings: newForcings(opts.Answers),
		shared:   newAccount(nil),
		stall:    newStall(),
	}
	for id := range opts.Accounts {
		e.accounts[id] = newAccount(opts.BastionhostInstances)
	}
	e.anonymous = newAccount(opts.BastionhostInstances)
	return e
}

// withDefaults fills the zero fields of opts, copying what it keeps.
func withDefaults(opts Options) Options {
	accounts := make(map[string]string, len(opts.Accounts))
	for id, secret := range opts.Accounts {
		accounts[id] = secret
	}
	if len(accounts) == 0 {
		accounts[DefaultAccessKeyID] = DefaultAccessKeySecret
	}
	opts.Accounts = accounts
	opts.BastionhostInstances = append([]string(nil), opts.BastionhostInstances...)
	if len(opts.BastionhostInstances) == 0 {
		opts.BastionhostInstances = []string{DefaultBastionhostInstance, DefaultBastionhostInstance2}
	}
	if opts.RAMUserQuota <= 0 {
		opts.RAMUserQuota = DefaultRAMUserQuota
	}
	if opts.EDSUserQuota <= 0 {
		opts.EDSUserQuota = DefaultEDSUserQuota
	}
	if opts.BastionhostUserQuota <= 0 {
		opts.BastionhostUserQuota = DefaultBastionhostUserQuota
	}
	opts.Answers = append([]ForcedAnswer(nil), opts.Answers...)
	if opts.Now == nil {
		opts.Now = time.Now
	}
	return opts
}

// AccessKeyIDs returns the AccessKeyIds the emulator accepts, sorted.
func (e *Emulator) AccessKeyIDs() []string {
	ids := make([]string, 0, len(e.secrets))
	for id := range e.secrets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// BastionhostInstances returns the bastion host InstanceIds every account has.
func (e *Emulator) BastionhostInstances() []string {
	return append([]string(nil), e.opts.BastionhostInstances...)
}

// ServeHTTP answers one request: decode, authenticate, dispatch on Action
// and Version, then the operation's own rules.
func (e *Emulator) ServeHTTP(w http.ResponseWriter, hr *http.Request) {
	rs := &responder{w: w, requestID: e.requestID(), hostID: hr.Host, faults: e.faults, ctx: hr.Context(), stall: &e.stall}
	rs.setFormat(hr.URL.Query().Get("Format"))
	defer func() {
		if recover() != nil {
			rs.fail(errInternal)
		}
	}()
	req, err := decode(w, hr)
	if err != nil {
		rs.fail(err)
		return
	}
	rs.setFormat(req.param("Format"))
	req.foldCase = e.faults.has(FaultCaseInsensitivePatterns)
	if e.faults.has(FaultHangOnQ) && hangs(req) {
		e.stall.hang(hr.Context())
	}
	body, err := e.serve(req, rs)
	if err != nil {
		rs.fail(err)
		return
	}
	rs.success(body)
}

// serve runs the gateway checks and the operation, returning the success
// body or the error to answer.
func (e *Emulator) serve(req *request, rs *responder) (any, *apiError) {
	if req.http.URL.Path != "/" || (req.http.Method != http.MethodPost && req.http.Method != http.MethodGet) {
		return nil, errActionNotFound
	}
	if op, err := route(req); err == nil {
		if d := e.forced(op, req); d != nil {
			rs.product = op.product
			return forcedBody(d, req, rs.requestID)
		}
	}
	acct, err := e.account(req)
	if err != nil {
		return nil, err
	}
	op, err := route(req)
	if err != nil {
		return nil, err
	}
	rs.product = op.product
	return op.handle(e, acct, req, rs.requestID)
}

// account authenticates the request and returns the account it acts on.
func (e *Emulator) account(req *request) (*account, *apiError) {
	if e.opts.NoAuth {
		if acct, ok := e.accounts[claimedAccessKeyID(req)]; ok {
			return acct, nil
		}
		return e.anonymous, nil
	}
	id, err := e.authenticate(req)
	if err != nil {
		return nil, err
	}
	return e.accounts[id], nil
}
