// Package proxy is a validating reverse proxy: it passes every request to
// an upstream (the reference emulator, or any target) and its answer back
// unchanged, and checks both against the specs. The request's wire form
// (operation and version, each parameter where the spec's wire style puts
// it, Users.N.Field numbered from 1 without gaps, JSON-array strings,
// typed values) is the check request-wire; its signature (well formed, and
// recomputed with runner's signing code when the AccessKeyId's secret is
// known) is request-signature; the answer is judged by the checks of a run
// (suites.JudgeTraffic). Its findings are a results.Result, as a run's.
//
// Rule IDs of the proxy's own checks (stable):
//
//	request-wire       wire.unknown-operation  no documented operation has the Action
//	                   wire.version            the Version is not the operation's documented one
//	                   wire.method             an HTTP method the operation does not accept
//	                   wire.wrong-place        a parameter in the query that belongs in the body, or the reverse
//	                   wire.bad-index          a list index that is not 1, 2, 3... (Users.0.X)
//	                   wire.gap                list indexes with a hole (Users.1, Users.3)
//	                   wire.not-flat           a flattened list sent as one plain value
//	                   wire.bad-key            a flattened key without index or field
//	                   wire.repeated           a key sent more than once
//	                   wire.unknown            a parameter the operation does not document
//	                   wire.undecodable        broken percent-encoding
//	                   wire.too-many           more pairs than wire.MaxPairs
//	                   wire.not-form           a body that is not a form
//	                   wire.json-array         a JSON-array parameter sent repeated or flattened (Name.1=...)
//	                   wire.body-too-large     a body over the proxy's bound (the proxy answers 413)
//	                   <op>.<param>.type       the spec's type rule: an integer, boolean or JSON-array
//	                                           value not written as its type is on the wire
//	request-signature  signature.missing       an unsigned request to a target that checks signatures
//	                   signature.malformed     a signature missing a part, or of an unknown algorithm
//	                   signature.mismatch      the signature is not the one the account's secret gives
//	                   signature.payload-hash  x-acs-content-sha256 is not the SHA-256 of the body sent
//	                   signature.expired       a date further from the proxy's clock than the gateway allows
//	                   signature.nonce-reused  a nonce the same AccessKeyId used before
//
// A request that breaks a documented rule of a parameter's value (a length,
// a pattern, an enum, a requirement) is not itself a finding: clients may
// send bad input, and the answer must then be the documented error.
package proxy

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/suites"
	"github.com/acsconform/acsconform/wire"
)

// The proxy's own check IDs.
const (
	// CheckWire judges a request's wire form against the spec's wire style.
	CheckWire = "request-wire"
	// CheckSignature judges a request's signature.
	CheckSignature = "request-signature"
)

// Rule IDs of the proxy's own findings (see the package documentation);
// problems wire.Decode names are "wire." + the wire.ProblemKind.
const (
	RuleUnknownOperation = "wire.unknown-operation"
	RuleVersion          = "wire.version"
	RuleMethod           = "wire.method"
	RuleBodyTooLarge     = "wire.body-too-large"
	RuleJSONArray        = "wire.json-array"
	RuleSigMissing       = "signature.missing"
	RuleSigMalformed     = "signature.malformed"
	RuleSigMismatch      = "signature.mismatch"
	RuleSigPayloadHash   = "signature.payload-hash"
	RuleSigExpired       = "signature.expired"
	RuleSigNonceReused   = "signature.nonce-reused"
)

// WireRule is the rule ID of a problem wire.Decode found ("wire.bad-index").
func WireRule(k wire.ProblemKind) string { return "wire." + string(k) }

// UnknownOperation is the operation ID findings about a request to no
// documented operation are filed under.
const UnknownOperation = "unknown"

// Defaults of Options.
const (
	// DefaultTimeout bounds one upstream exchange.
	DefaultTimeout = 30 * time.Second
	// DefaultMaxFindings bounds the findings kept per check and operation.
	DefaultMaxFindings = 20
	// maxNonces bounds the nonces remembered for signature.nonce-reused.
	maxNonces = 100000
)

// Options configure a Proxy. The zero value of each field is the default it names.
type Options struct {
	// Upstream is the base URL requests are passed to (runner.CheckURL).
	Upstream string
	// Accounts are the credentials the proxy knows: their signatures are
	// verified; a request from another AccessKeyId is passed on unverified.
	Accounts []runner.Account
	// NoAuth says the upstream checks no signatures: request-signature is
	// skipped and no gateway refusal is expected.
	NoAuth bool
	// Declared are the upstream's declared facts (its Bastionhost
	// instances under specs.RuleExists), given to each known account.
	Declared specs.Declarations
	// Fresh says the upstream held no user when the proxy started (the
	// embedded emulator): a name the proxy never saw created is free. When
	// false a create may also meet a name taken earlier.
	Fresh bool
	// Strict makes warnings (answers allowed under one reading of
	// ambiguous docs) findings.
	Strict bool
	// Timeout bounds one upstream exchange, body included; 0 means DefaultTimeout.
	Timeout time.Duration
	// MaxBody bounds request bodies (larger ones get 413 from the proxy)
	// and the part of a response body kept for judging; 0 means wire.MaxBody.
	MaxBody int64
	// MaxFindings bounds the findings (and warnings) kept per check and
	// operation; 0 means DefaultMaxFindings. The rest are counted.
	MaxFindings int
	// Transport sends upstream; nil means a transport of its own that
	// never compresses (so bodies pass through as they are).
	Transport http.RoundTripper
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Tool and Command fill the result's Tool and Command.
	Tool, Command string
	// Observe, when set, is called after each exchange is judged (from the
	// request's goroutine), with what the proxy saw.
	Observe func(Observed)
}

// Observed is one exchange as the proxy saw and judged it.
type Observed struct {
	// Op is the operation ID (UnknownOperation when none matched).
	Op string
	// Status is the upstream's HTTP status, 0 when it gave no answer.
	Status int
	// RespBody is the answer's body as passed on (bounded by MaxBody).
	RespBody []byte
	// Findings are what the proxy found about this exchange.
	Findings []results.Finding
}

// Stats counts what passed through for one operation.
type Stats struct {
	// Op is the operation ID.
	Op string
	// Requests counts the requests checked; Answers those whose answer was
	// judged; Findings every finding (kept or not), warnings aside.
	Requests, Answers, Findings int
}

// Proxy is the validating reverse proxy, an http.Handler. It is safe for
// concurrent use; requests to one operation are passed on one at a time,
// so that the state the answers are judged against is the upstream's.
type Proxy struct {
	opts     Options
	model    *specs.Model
	upstream *url.URL
	client   *http.Client
	secrets  map[string]string
	scrubber *runner.Scrubber
	state    *oracle.State
	started  time.Time
	locks    map[string]chan struct{}

	mu     sync.Mutex // guards below
	tally  map[string]map[string]*tally
	stats  map[string]*Stats
	nonces map[string]time.Time
}

// tally is one check's verdicts on one operation.
type tally struct {
	exchanges               int
	findings, warnings      []results.Finding
	dropped, droppedWarning int
}

// New returns a proxy to opts.Upstream. The error is for options it cannot work with.
func New(opts Options) (*Proxy, error) {
	if err := runner.CheckURL(opts.Upstream); err != nil {
		return nil, fmt.Errorf("upstream: %w", err)
	}
	u, err := url.Parse(opts.Upstream)
	if err != nil {
		return nil, fmt.Errorf("upstream: %w", err)
	}
	model, err := specs.Load()
	if err != nil {
		return nil, fmt.Errorf("loading the specs: %w", err)
	}
	if opts.Timeout <= 0 {
		opts.Timeout = DefaultTimeout
	}
	if opts.MaxBody <= 0 {
		opts.MaxBody = wire.MaxBody
	}
	if opts.MaxFindings <= 0 {
		opts.MaxFindings = DefaultMaxFindings
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	tr := opts.Transport
	if tr == nil {
		tr = &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 16, ResponseHeaderTimeout: opts.Timeout, IdleConnTimeout: time.Minute}
	}
	p := &Proxy{
		opts: opts, model: model, upstream: u, started: opts.Now(),
		client: &http.Client{Transport: tr, Timeout: opts.Timeout,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		secrets: map[string]string{}, state: oracle.NewState(), locks: map[string]chan struct{}{},
		tally: map[string]map[string]*tally{}, stats: map[string]*Stats{}, nonces: map[string]time.Time{},
	}
	var secretValues []string
	for _, a := range opts.Accounts {
		p.secrets[a.AccessKeyID] = a.AccessKeySecret
		secretValues = append(secretValues, a.AccessKeySecret)
		for _, inst := range opts.Declared.Values[specs.RuleExists] {
			p.state.DeclareInstance(a.AccessKeyID, inst)
		}
	}
	p.scrubber = runner.NewScrubber(secretValues...)
	for _, op := range model.Operations {
		p.locks[op.ID] = make(chan struct{}, 1)
	}
	p.locks[UnknownOperation] = make(chan struct{}, 1)
	return p, nil
}

// secret returns the secret of a known AccessKeyId.
func (p *Proxy) secret(id string) (string, bool) {
	s, ok := p.secrets[id]
	return s, ok
}

// ServeHTTP passes the request upstream and the answer back, byte for
// byte, then judges both.
func (p *Proxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, p.opts.MaxBody+1))
	if err != nil {
		http.Error(w, "acsconform proxy: reading the request body: "+err.Error(), http.StatusBadRequest)
		return
	}
	op, opFinding := p.identify(r, body)
	opID := UnknownOperation
	if op != nil {
		opID = op.ID
	}
	if int64(len(body)) > p.opts.MaxBody {
		ex := p.exchange(op, r, nil)
		f := p.finding(CheckWire, opID, RuleBodyTooLarge, "the proxy's bound on request bodies",
			fmt.Sprintf("a body of at most %d bytes", p.opts.MaxBody), "a larger body (not passed on: the proxy answered 413)", ex, nil)
		p.file(opID, CheckWire, []results.Finding{f}, nil)
		p.count(opID, false, 1)
		http.Error(w, "acsconform proxy: request body too large", http.StatusRequestEntityTooLarge)
		return
	}
	lock := p.locks[opID]
	select {
	case lock <- struct{}{}:
	case <-r.Context().Done():
		return
	}
	defer func() { <-lock }()
	ex := p.forward(w, r, body)
	obs := p.judge(op, opFinding, r, body, ex)
	if p.opts.Observe != nil {
		obs.Op, obs.Status, obs.RespBody = opID, ex.Status, ex.RespBody
		p.opts.Observe(obs)
	}
}

// hopHeaders are connection-level headers a proxy does not pass on.
var hopHeaders = []string{"Connection", "Proxy-Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "Te", "Trailer", "Transfer-Encoding", "Upgrade"}

// forward sends the request upstream as it came (Host included: a V3
// signature signs it) and streams the answer back, keeping at most
// MaxBody bytes of it for judging.
func (p *Proxy) forward(w http.ResponseWriter, r *http.Request, body []byte) runner.Exchange {
	start := p.opts.Now()
	ex := runner.Exchange{Method: r.Method, URL: p.clientURL(r), Header: r.Header.Clone(), Body: string(body)}
	out, err := http.NewRequestWithContext(r.Context(), r.Method, p.upstream.String(), bytes.NewReader(body))
	if err != nil {
		ex.Err = err.Error()
		http.Error(w, "acsconform proxy: "+err.Error(), http.StatusBadGateway)
		return ex
	}
	out.URL.Path, out.URL.RawPath, out.URL.RawQuery = r.URL.Path, r.URL.RawPath, r.URL.RawQuery
	out.Host = r.Host
	out.Header = r.Header.Clone()
	for _, h := range hopHeaders {
		out.Header.Del(h)
	}
	if _, ok := out.Header["User-Agent"]; !ok {
		out.Header["User-Agent"] = []string{""} // send none, as the client did
	}
	if len(body) == 0 {
		out.Body, out.ContentLength = http.NoBody, 0
	}
	resp, err := p.client.Do(out)
	if err != nil {
		ex.Err = err.Error()
		ex.Duration = p.opts.Now().Sub(start)
		http.Error(w, "acsconform proxy: upstream: "+err.Error(), http.StatusBadGateway)
		return ex
	}
	defer resp.Body.Close()
	for k, vs := range resp.Header {
		w.Header()[k] = vs
	}
	for _, h := range hopHeaders {
		w.Header().Del(h)
	}
	w.WriteHeader(resp.StatusCode)
	kept := &boundedBuffer{max: p.opts.MaxBody}
	_, err = io.Copy(io.MultiWriter(w, kept), resp.Body)
	ex.Status, ex.RespHeader, ex.RespBody = resp.StatusCode, resp.Header.Clone(), kept.buf.Bytes()
	switch {
	case err != nil:
		ex.Err = "reading the answer: " + err.Error()
	case kept.over:
		ex.Err = fmt.Sprintf("an answer body larger than %d bytes", p.opts.MaxBody)
	}
	ex.Duration = p.opts.Now().Sub(start)
	return ex
}

// clientURL is the URL the client addressed.
func (p *Proxy) clientURL(r *http.Request) string {
	u := url.URL{Scheme: "http", Host: r.Host, Path: r.URL.Path, RawPath: r.URL.RawPath, RawQuery: r.URL.RawQuery}
	if u.Path == "" {
		u.Path = "/"
	}
	return u.String()
}

// boundedBuffer keeps the first max bytes written to it and notes the rest.
type boundedBuffer struct {
	buf  bytes.Buffer
	max  int64
	over bool
}

// Write keeps what fits and never fails.
func (b *boundedBuffer) Write(data []byte) (int, error) {
	room := b.max - int64(b.buf.Len())
	if int64(len(data)) > room {
		b.buf.Write(data[:max(room, 0)])
		b.over = true
		return len(data), nil
	}
	b.buf.Write(data)
	return len(data), nil
}

// identify finds the operation a request calls, by Action (the
// x-acs-action header of V3, else the query) and Version; a wrong Version
// still names the operation with that Action whose parameters the request
// uses most. The finding, if any, says what is wrong.
func (p *Proxy) identify(r *http.Request, body []byte) (*specs.Operation, *wireFault) {
	q, _ := wire.ParsePairs(r.URL.RawQuery, string(specs.InQuery))
	first := func(header, key string) string {
		if v := r.Header.Get(header); v != "" {
			return v
		}
		for _, pr := range q {
			if pr.Key == key {
				return pr.Value
			}
		}
		return ""
	}
	action, version := first("x-acs-action", "Action"), first("x-acs-version", "Version")
	var candidates []*specs.Operation
	for _, op := range p.model.Operations {
		if op.Action == action {
			if op.Version == version {
				return op, p.methodFault(op, r)
			}
			candidates = append(candidates, op)
		}
	}
	if len(candidates) == 0 {
		return nil, &wireFault{rule: RuleUnknownOperation, quote: "the documented operations: " + p.actions(),
			expected: "one of the documented Actions (" + p.actions() + ")", actual: fmt.Sprintf("Action %q, Version %q", action, version)}
	}
	form, _ := wire.ParsePairs(string(body), string(specs.InBody))
	names := map[string]bool{}
	for _, pr := range append(q, form...) {
		name, _, _ := strings.Cut(pr.Key, ".")
		names[name] = true
	}
	best, score := candidates[0], -1
	for _, op := range candidates {
		n := 0
		for _, prm := range op.Params {
			if names[prm.Name] {
				n++
			}
		}
		if n > score {
			best, score = op, n
		}
	}
	return best, &wireFault{rule: RuleVersion, quote: fmt.Sprintf("%s %s is Version %s (%s)", best.Product, best.Action, best.Version, best.Seed),
		expected: "Version " + best.Version, actual: fmt.Sprintf("Version %q", version)}
}

// methodFault names a method the operation does not accept.
func (p *Proxy) methodFault(op *specs.Operation, r *http.Request) *wireFault {
	for _, m := range op.Methods {
		if strings.EqualFold(m, r.Method) {
			return nil
		}
	}
	return &wireFault{rule: RuleMethod, quote: op.Action + " is called with " + strings.Join(op.Methods, " or "),
		expected: strings.Join(op.Methods, " or "), actual: r.Method}
}

// actions lists the documented Action/Version pairs.
func (p *Proxy) actions() string {
	var s []string
	for _, op := range p.model.Operations {
		s = append(s, op.Action+" "+op.Version)
	}
	return strings.Join(s, ", ")
}

// wireFault is one request-level fault before it becomes a finding.
type wireFault struct {
	rule, quote, expected, actual string
	// param is the top-level parameter concerned, "" for the request as a whole.
	param string
}

// judge checks the request and its answer and files the findings.
func (p *Proxy) judge(op *specs.Operation, opFault *wireFault, r *http.Request, body []byte, ex runner.Exchange) Observed {
	opID := UnknownOperation
	if op != nil {
		opID = op.ID
	}
	var req wire.Request
	var problems []wire.Problem
	if op != nil {
		dr := r.Clone(r.Context())
		dr.Body = io.NopCloser(bytes.NewReader(body))
		req, problems, _ = wire.DecodeHTTP(op, dr)
	}
	sig := runner.VerifySignature(r, body, p.secret)
	ex.Signature, ex.Nonce = sig.Version, sig.Nonce
	secrets := append(p.secretValues(), userSecrets(op, req)...)
	red := runner.Redact(ex, secrets...)
	scrub := runner.NewScrubber(secrets...).Scrub

	var wireFaults, sigFaults []wireFault
	if opFault != nil {
		wireFaults = append(wireFaults, *opFault)
	}
	if op != nil {
		pf := problemFaults(op, problems)
		wireFaults = append(wireFaults, pf...)
		wireFaults = append(wireFaults, typeFaults(op, req, pf)...)
	}
	gateway := suites.GatewayPasses
	if !p.opts.NoAuth {
		sigFaults = p.signatureFaults(sig, body)
		switch {
		case len(sigFaults) > 0:
			gateway = suites.GatewayRefuses
		case !sig.Known:
			gateway = suites.GatewayMayRefuse
		}
	}
	var all []results.Finding
	file := func(check string, faults []wireFault) {
		var fs []results.Finding
		for _, f := range faults {
			fs = append(fs, p.finding(check, opID, f.rule, f.quote, f.expected, f.actual, red, scrub))
		}
		p.file(opID, check, fs, nil)
		all = append(all, fs...)
	}
	file(CheckWire, wireFaults)
	if !p.opts.NoAuth {
		file(CheckSignature, sigFaults)
	}
	answered := false
	if op != nil && (opFault == nil || opFault.rule == RuleMethod) {
		answered = true
		verdicts := suites.JudgeTraffic(suites.Traffic{Op: op, Request: req, Problems: problems, Account: sig.AccessKeyID, Exchange: red, Gateway: gateway},
			suites.TrafficOptions{Model: p.model, State: p.state, UnknownPrior: !p.opts.Fresh, Strict: p.opts.Strict, Scrub: scrub, Command: p.opts.Command})
		for _, v := range verdicts {
			p.file(opID, v.Check, v.Findings, v.Warnings)
			all = append(all, v.Findings...)
		}
	}
	p.count(opID, answered && ex.Status != 0, len(all))
	return Observed{Findings: all}
}

// secretValues are the known AccessKeySecrets.
func (p *Proxy) secretValues() []string {
	out := make([]string, 0, len(p.secrets))
	for _, s := range p.secrets {
		out = append(out, s)
	}
	return out
}

// problemFaults turns what wire.Decode could not place into faults, one per
// kind and top-level parameter (Users.0.EndUserId and Users.0.Email are
// one bad-index fault).
func problemFaults(op *specs.Operation, problems []wire.Problem) []wireFault {
	type key struct {
		kind wire.ProblemKind
		name string
	}
	keys := map[key][]string{}
	var order []key
	for _, pr := range problems {
		name, _, _ := strings.Cut(pr.Key, ".")
		k := key{pr.Kind, name}
		if _, seen := keys[k]; !seen {
			order = append(order, k)
		}
		keys[k] = append(keys[k], pr.String())
	}
	var out []wireFault
	for _, k := range order {
		rule := WireRule(k.kind)
		if prm, ok := op.Param(k.name); ok && prm.Style == specs.StyleJSON && (k.kind == wire.ProblemUnknown || k.kind == wire.ProblemRepeated) {
			rule = RuleJSONArray
		}
		out = append(out, wireFault{rule: rule, param: k.name, quote: wireStyle(op, k.name),
			expected: wireStyle(op, k.name), actual: strings.Join(clipList(keys[k], 5), "; ")})
	}
	return out
}

// wireStyle says in words where and how the spec puts a parameter.
func wireStyle(op *specs.Operation, name string) string {
	prm, ok := op.Param(name)
	if !ok {
		return fmt.Sprintf("%s %s documents no parameter %s", op.Action, op.Version, name)
	}
	where := "in the query"
	if prm.In == specs.InBody {
		where = "in the form body"
	}
	switch prm.Style {
	case specs.StyleFlat:
		return fmt.Sprintf("%s is sent %s, flattened as %s.N.Field with N = 1, 2, 3... and no gaps, each key once", name, where, name)
	case specs.StyleJSON:
		return fmt.Sprintf("%s is sent %s, once, as one string holding a JSON array", name, where)
	}
	return fmt.Sprintf("%s is sent %s, once", name, where)
}

// clipList keeps the first n items and counts the rest.
func clipList(items []string, n int) []string {
	if len(items) <= n {
		return items
	}
	return append(items[:n:n], fmt.Sprintf("and %d more", len(items)-n))
}

// typeFaults are the spec's type rules the request breaks: a typed value
// (integer, boolean, JSON array) not written as its type on the wire.
// A parameter that already has a wire fault gets no type fault: one fault,
// one finding.
func typeFaults(op *specs.Operation, r wire.Request, already []wireFault) []wireFault {
	var out []wireFault
	for _, rule := range op.Rules {
		if rule.Kind != specs.RuleType || oracle.Evaluate(op, rule, r) != oracle.Broken {
			continue
		}
		top, _ := specs.SplitPath(rule.Param)
		if slices.ContainsFunc(already, func(f wireFault) bool { return f.param == top }) {
			continue
		}
		out = append(out, wireFault{rule: rule.ID, param: top, quote: rule.Quote, expected: wireStyle(op, top) + typeWords(op, rule),
			actual: fmt.Sprintf("%s=%q", rule.Param, strings.Join(oracle.Values(rule.Param, r), ","))})
	}
	return out
}

// typeWords names the wire type of a type rule's parameter.
func typeWords(op *specs.Operation, rule *specs.Rule) string {
	prm, ok := op.Lookup(rule.Param)
	if !ok {
		return ""
	}
	if prm.Format != "" {
		return " (" + string(prm.Kind) + ", " + prm.Format + ")"
	}
	return " (" + string(prm.Kind) + ")"
}

// signatureFaults are what is wrong with a request's signature.
func (p *Proxy) signatureFaults(sig runner.SignatureCheck, body []byte) []wireFault {
	const quote = "PROTOCOL.md: requests are signed with ACS3-HMAC-SHA256 (V3) or HMAC-SHA1 (V1)"
	switch {
	case sig.Version == wire.SignNone:
		return []wireFault{{rule: RuleSigMissing, quote: quote, expected: "a V3 or V1 signature", actual: "an unsigned request"}}
	case sig.Malformed != "":
		return []wireFault{{rule: RuleSigMalformed, quote: quote, expected: "a well-formed " + string(sig.Version) + " signature", actual: sig.Malformed}}
	}
	var out []wireFault
	if sig.Known && !sig.Match {
		out = append(out, wireFault{rule: RuleSigMismatch, quote: quote,
			expected: "the " + string(sig.Version) + " signature the secret of " + sig.AccessKeyID + " gives over the request as sent",
			actual:   "another signature (signed over a different canonical request or string to sign, or with another secret)"})
	}
	if sig.PayloadMismatch {
		out = append(out, wireFault{rule: RuleSigPayloadHash, quote: quote, expected: fmt.Sprintf("x-acs-content-sha256 of the %d-byte body sent", len(body)),
			actual: "the hash of another body"})
	}
	now := p.opts.Now()
	if skew := p.model.TimestampSkew; skew > 0 && (now.Sub(sig.Date) > skew || sig.Date.Sub(now) > skew) {
		out = append(out, wireFault{rule: RuleSigExpired, quote: fmt.Sprintf("gateways reject a timestamp more than %s off", skew),
			expected: fmt.Sprintf("a date within %s of %s", skew, now.UTC().Format(time.RFC3339)), actual: sig.Date.UTC().Format(time.RFC3339)})
	}
	if p.nonceUsed(sig.AccessKeyID, sig.Nonce, now) {
		out = append(out, wireFault{rule: RuleSigNonceReused, quote: "gateways reject a reused nonce (SignatureNonceUsed)",
			expected: "a fresh signature nonce", actual: "a nonce " + sig.AccessKeyID + " used before"})
	}
	return out
}

// nonceUsed remembers a nonce and reports whether it was seen before. It
// remembers at most maxNonces, forgetting those older than twice the
// gateway's timestamp skew first.
func (p *Proxy) nonceUsed(id, nonce string, now time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	k := id + "\x00" + nonce
	if _, seen := p.nonces[k]; seen {
		return true
	}
	if len(p.nonces) >= maxNonces {
		for old, at := range p.nonces {
			if now.Sub(at) > 2*p.model.TimestampSkew {
				delete(p.nonces, old)
			}
		}
		if len(p.nonces) >= maxNonces {
			p.nonces = map[string]time.Time{}
		}
	}
	p.nonces[k] = now
	return false
}

// exchange is a redacted exchange of a request the proxy did not pass on.
func (p *Proxy) exchange(op *specs.Operation, r *http.Request, body []byte) runner.Exchange {
	secrets := p.secretValues()
	if op != nil {
		dr := r.Clone(r.Context())
		dr.Body = io.NopCloser(bytes.NewReader(body))
		req, _, _ := wire.DecodeHTTP(op, dr)
		secrets = append(secrets, userSecrets(op, req)...)
	}
	return runner.Redact(runner.Exchange{Method: r.Method, URL: p.clientURL(r), Header: r.Header.Clone(), Body: string(body)}, secrets...)
}

// userSecrets are the secret parameter values (passwords) of a client's
// request: the user's own, never shown.
func userSecrets(op *specs.Operation, r wire.Request) []string {
	if op == nil {
		return nil
	}
	return runner.SecretValues(op, r)
}

// maxSummary bounds the request and response text in a finding.
const maxSummary = 600

// finding builds a finding about ex, every text scrubbed of secrets.
func (p *Proxy) finding(check, op, rule, quote, expected, actual string, ex runner.Exchange, scrub func(string) string) results.Finding {
	if scrub == nil {
		scrub = p.scrubber.Scrub
	}
	req := fmt.Sprintf("%s %s (signature %s)", ex.Method, ex.URL, ex.Signature)
	if ex.Body != "" {
		req += "\n" + clip(ex.Body)
	}
	resp := "not passed on"
	switch {
	case ex.Status != 0:
		resp = fmt.Sprintf("HTTP %d %s\n%s", ex.Status, ex.RespHeader.Get("Content-Type"), clip(string(ex.RespBody)))
	case ex.Err != "":
		resp = "no response: " + ex.Err
	}
	return results.Finding{
		Check: check, Operation: op, Rule: rule, Quote: quote,
		Expected: scrub(expected), Actual: scrub(actual), Command: p.opts.Command,
		Curl: scrub(runner.Curl(ex)), Request: scrub(req), Response: scrub(resp),
	}
}

// clip shortens s to maxSummary bytes on a rune boundary.
func clip(s string) string {
	if len(s) <= maxSummary {
		return s
	}
	cut := maxSummary
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + fmt.Sprintf("... (%d bytes)", len(s))
}

// file adds one exchange's verdict of check on op.
func (p *Proxy) file(op, check string, findings, warnings []results.Finding) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.tally[op] == nil {
		p.tally[op] = map[string]*tally{}
	}
	t := p.tally[op][check]
	if t == nil {
		t = &tally{}
		p.tally[op][check] = t
	}
	t.exchanges++
	for _, f := range findings {
		if len(t.findings) < p.opts.MaxFindings {
			t.findings = append(t.findings, f)
		} else {
			t.dropped++
		}
	}
	for _, f := range warnings {
		if len(t.warnings) < p.opts.MaxFindings {
			t.warnings = append(t.warnings, f)
		} else {
			t.droppedWarning++
		}
	}
}

// count adds one request to an operation's statistics.
func (p *Proxy) count(op string, answered bool, findings int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.stats[op]
	if s == nil {
		s = &Stats{Op: op}
		p.stats[op] = s
	}
	s.Requests++
	if answered {
		s.Answers++
	}
	s.Findings += findings
}

// Stats returns the counts per operation, in model order, the unknown
// operation last when a request named one.
func (p *Proxy) Stats() []Stats {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Stats
	for _, id := range p.opIDs() {
		if s := p.stats[id]; s != nil {
			out = append(out, *s)
		} else {
			out = append(out, Stats{Op: id})
		}
	}
	return out
}

// opIDs are the operations a result lists: the model's, and the unknown
// one when some request named no documented operation. p.mu is held.
func (p *Proxy) opIDs() []string {
	var ids []string
	for _, op := range p.model.Operations {
		ids = append(ids, op.ID)
	}
	if p.tally[UnknownOperation] != nil {
		ids = append(ids, UnknownOperation)
	}
	return ids
}

// Result is everything found so far, as a run's result: per operation,
// request-wire, request-signature and the answer checks of a run, each
// failed with its findings, passed, or skipped when no request to the
// operation passed through.
func (p *Proxy) Result() *results.Result {
	p.mu.Lock()
	defer p.mu.Unlock()
	now := p.opts.Now()
	res := &results.Result{Tool: p.opts.Tool, Target: p.opts.Upstream, Command: p.opts.Command, Started: p.started, Duration: now.Sub(p.started)}
	if res.Tool == "" {
		res.Tool = "dev"
	}
	checks := append([]string{CheckWire, CheckSignature}, suites.TrafficChecks()...)
	for _, id := range p.opIDs() {
		or := results.OperationResult{Operation: id}
		if op, ok := p.model.Operation(id); ok {
			or.Action, or.Version = op.Action, op.Version
		}
		for _, c := range checks {
			if id == UnknownOperation && c != CheckWire && c != CheckSignature {
				continue
			}
			or.Checks = append(or.Checks, p.checkResult(id, c))
		}
		res.Operations = append(res.Operations, or)
	}
	return res
}

// checkResult is one check's verdict on one operation. p.mu is held.
func (p *Proxy) checkResult(op, check string) results.CheckResult {
	c := results.CheckResult{Check: check, Status: results.Passed}
	t := p.tally[op][check]
	switch {
	case check == CheckSignature && p.opts.NoAuth:
		c.Status, c.SkipReason = results.Skipped, "the upstream does not check signatures (--no-auth)"
		return c
	case t == nil || t.exchanges == 0:
		c.Status, c.SkipReason = results.Skipped, "no request to this operation passed through the proxy"
		return c
	}
	c.Exchanges, c.Findings, c.Warnings, c.Dropped = t.exchanges, t.findings, t.warnings, t.dropped
	if len(c.Findings) > 0 {
		c.Status = results.Failed
	}
	sort.SliceStable(c.Findings, func(i, j int) bool { return c.Findings[i].Rule < c.Findings[j].Rule })
	return c
}

// Server is a Proxy listening on an address, with bounded timeouts.
type Server struct {
	*Proxy
	srv  *http.Server
	addr string
	done chan error
}

// Listen starts serving p on addr ("127.0.0.1:0" picks a port): every
// read and write has a deadline derived from the upstream timeout, and
// headers are bounded.
func Listen(p *Proxy, addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	s := &Server{Proxy: p, addr: ln.Addr().String(), done: make(chan error, 1)}
	s.srv = &http.Server{
		Handler:           p,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       p.opts.Timeout + 10*time.Second,
		WriteTimeout:      2*p.opts.Timeout + 10*time.Second,
		IdleTimeout:       time.Minute,
		MaxHeaderBytes:    64 << 10,
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// URL is the proxy's base URL.
func (s *Server) URL() string { return "http://" + s.addr }

// Addr is the address it listens on.
func (s *Server) Addr() string { return s.addr }

// Close stops accepting requests and waits (at most the timeout of ctx) for
// those in flight.
func (s *Server) Close(ctx context.Context) error {
	err := s.srv.Shutdown(ctx)
	if err != nil {
		s.srv.Close()
	}
	<-s.done
	return err
}
