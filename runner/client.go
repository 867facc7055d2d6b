package runner

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Bounds on one exchange.
const (
	// DefaultTimeout bounds an exchange when Target.Timeout is 0.
	DefaultTimeout = 10 * time.Second
	// MaxResponseBody is the most of a response body kept in an Exchange.
	MaxResponseBody = 1 << 20
	// maxDiscard is how much more of an over-long body is read and thrown
	// away (so the connection can be reused) before giving up on it.
	maxDiscard = 8 << 20
	// expiredAge is how far in the past wire.TamperExpiredTimestamp dates a
	// request: far beyond any gateway's allowed skew (15 minutes documented).
	expiredAge = 24 * time.Hour
	// unknownAccessKeyID is the AccessKeyId wire.TamperUnknownAccessKey signs with.
	unknownAccessKeyID = "LTAIacsconformUnknownKey"
	userAgent          = "acsconform"
)

// SendOptions says how to send one request. The zero value sends it as the
// SDK does: V3-signed with the first account, paced if the operation has a
// rate limit.
type SendOptions struct {
	// Account is the index in Target.Accounts; 0 is the first.
	Account int
	// Signature is the version; "" means wire.SignV3.
	Signature wire.Signature
	// Tamper is a deliberate signature fault; "" means none.
	Tamper wire.Tamper
	// Nonce is the nonce wire.TamperReusedNonce reuses; "" means the nonce of
	// the client's previous untampered signed request with the same account
	// (a target records only the nonces of requests it verified).
	Nonce string
	// Burst sends without pacing, for the rate-limit checks (see Pacer.Burst).
	Burst bool
}

// Client sends requests to a Target. It is safe for concurrent use.
type Client struct {
	target  Target
	http    *http.Client
	timeout time.Duration
	pacer   *Pacer
	secrets []string
	// literals are the secrets in every form Redact looks for, built once.
	literals literalSet
	now      func() time.Time
	nonce    func() string

	mu        sync.Mutex
	lastNonce map[string]string // by AccessKeyId
	// rooted holds rootedURL by base URL.
	rooted sync.Map
	// macs are the accounts' keyed HMACs, reused.
	macs macCache
}

// NewClient checks t and returns a client for it. The error names the first
// bad field: a URL that is not absolute http(s), an empty endpoint key, a
// negative timeout.
func NewClient(t Target) (*Client, error) {
	if err := checkTarget(t); err != nil {
		return nil, err
	}
	c := &Client{target: t, timeout: t.Timeout, pacer: NewPacer(), now: time.Now, nonce: randomNonce,
		lastNonce: map[string]string{}}
	if c.timeout == 0 {
		c.timeout = DefaultTimeout
	}
	c.http = httpClient(t.Client)
	for _, a := range t.Accounts {
		c.secrets = append(c.secrets, a.AccessKeySecret)
	}
	c.secrets = append(c.secrets, t.Secrets...)
	c.literals = newLiterals(c.secrets)
	return c, nil
}

func checkTarget(t Target) error {
	if t.Timeout < 0 {
		return fmt.Errorf("runner: negative timeout %v", t.Timeout)
	}
	if t.URL == "" && len(t.Endpoints) == 0 {
		return errors.New("runner: the target has no URL")
	}
	if t.URL != "" {
		if err := CheckURL(t.URL); err != nil {
			return err
		}
	}
	for k, u := range t.Endpoints {
		if k == "" {
			return fmt.Errorf("runner: endpoint %q has no operation or product name", u)
		}
		if err := CheckURL(u); err != nil {
			return fmt.Errorf("%w (endpoint %s)", err, k)
		}
	}
	return nil
}

// CheckURL reports whether raw can be a target's base URL:
// http(s)://host[:port][/path], with no query, no fragment (neither would
// survive the request path) and no user information (credentials are
// accounts, never part of a URL that reports copy).
func CheckURL(raw string) error {
	u, err := url.Parse(raw)
	switch {
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return fmt.Errorf("target URL %q is not an http(s)://host[:port][/path] URL", raw)
	case u.User != nil:
		return fmt.Errorf("target URL %s carries user information: pass credentials with --account", u.Redacted())
	case u.RawQuery != "" || u.ForceQuery:
		return fmt.Errorf("target URL %q has a query: the request's own query would follow it", raw)
	case u.Fragment != "" || strings.Contains(raw, "#"):
		return fmt.Errorf("target URL %q has a fragment: it would cut every request's query", raw)
	}
	return nil
}

// httpClient is base (copied) or a keep-alive client; either way redirects
// are not followed: a redirect is an answer to judge.
func httpClient(base *http.Client) *http.Client {
	var c http.Client
	if base != nil {
		c = *base
	} else {
		c.Transport = &http.Transport{
			Proxy:                  http.ProxyFromEnvironment,
			DialContext:            (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			MaxIdleConns:           256,
			MaxIdleConnsPerHost:    256,
			IdleConnTimeout:        90 * time.Second,
			TLSHandshakeTimeout:    5 * time.Second,
			MaxResponseHeaderBytes: 64 << 10,
			DisableCompression:     true,
		}
	}
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return &c
}

// Close releases idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// BaseURL is the base URL of op: Target.Endpoints[op.ID], else
// Target.Endpoints[op.Product], else Target.URL.
func (c *Client) BaseURL(op *specs.Operation) string {
	if u, ok := c.target.Endpoints[op.ID]; ok {
		return u
	}
	if u, ok := c.target.Endpoints[op.Product]; ok {
		return u
	}
	return c.target.URL
}

// Send encodes r for op, waits for the pacer, signs it as opts say, sends
// it within the target's timeout and returns the exchange, redacted. It
// never fails: a transport failure, a timeout or an over-long body is in
// Exchange.Err; so is a request that was never sent (bad options, the
// context ending while paced), with an Err starting "runner: ", which is
// no fault of the target.
func (c *Client) Send(ctx context.Context, op *specs.Operation, r wire.Request, opts SendOptions) Exchange {
	sig := opts.Signature
	if sig == "" {
		sig = wire.SignV3
	}
	req, body, acct, err := c.build(op, r, sig, opts.Account)
	if err != nil {
		return Exchange{Signature: sig, Err: err.Error()}
	}
	release, err := c.admit(ctx, op, acct.AccessKeyID, opts.Burst)
	if err != nil {
		return c.failed(op, req, body, sig, fmt.Errorf("runner: waiting for the pacer: %w", err))
	}
	defer release()
	nonce, err := c.sign(req, body, acct, sig, opts)
	if err != nil {
		return c.failed(op, req, body, sig, err)
	}
	ex := c.do(ctx, req, body, sig)
	ex.Nonce = nonce
	return redact(ex, false, c.literals)
}

// Signed is the request Send would send for r, signed afresh (its own date
// and nonce) but not sent: an exchange without a response whose signature
// is kept (the account secrets are still redacted), for a command a user
// pastes (CurlSigned) within the gateway's 15-minute window. Its nonce is
// used by no request, so the paste is the nonce's first use. The error
// says why r cannot be signed (no operation, a bad version or account).
func (c *Client) Signed(op *specs.Operation, r wire.Request, opts SendOptions) (Exchange, error) {
	sig := opts.Signature
	if sig == "" {
		sig = wire.SignV3
	}
	req, body, acct, err := c.build(op, r, sig, opts.Account)
	if err != nil {
		return Exchange{}, err
	}
	nonce := ""
	switch sig {
	case wire.SignV3:
		nonce = c.nonce()
		signV3(req, payloadHash(body), acct, c.now(), nonce, &c.macs)
	case wire.SignV1:
		nonce = c.nonce()
		signV1(req, body, acct, c.now(), nonce, &c.macs)
	}
	ex := record(req, body, sig)
	ex.Nonce = nonce
	return redact(ex, true, c.literals), nil
}

// failed is the exchange of a request that was not sent.
func (c *Client) failed(op *specs.Operation, req *http.Request, body string, sig wire.Signature, err error) Exchange {
	ex := record(req, body, sig)
	ex.Err = err.Error()
	return redact(ex, false, c.literals)
}

// build makes the unsigned request: Action and Version in headers (and, for
// V1 and unsigned requests, with Format in the query, as the SDK sends
// them), the business parameters where the spec puts them.
func (c *Client) build(op *specs.Operation, r wire.Request, sig wire.Signature, account int) (*http.Request, string, Account, error) {
	if op == nil {
		return nil, "", Account{}, errors.New("runner: no operation")
	}
	if sig != wire.SignV3 && sig != wire.SignV1 && sig != wire.SignNone {
		return nil, "", Account{}, fmt.Errorf("runner: unknown signature %q (want v3, v1 or none)", sig)
	}
	var acct Account
	switch {
	case account >= 0 && account < len(c.target.Accounts):
		acct = c.target.Accounts[account]
	case sig != wire.SignNone || account != 0:
		return nil, "", Account{}, fmt.Errorf("runner: account %d of a target with %d", account, len(c.target.Accounts))
	}
	var query, b strings.Builder
	query.WriteString(wire.JoinPairs(commonQuery(op, r, sig)))
	wire.WriteEncoded(&query, &b, op, r)
	body := b.String()
	req, err := http.NewRequest(http.MethodPost, c.rootedURL(op), strings.NewReader(body))
	if err != nil {
		return nil, "", Account{}, fmt.Errorf("runner: %w", err)
	}
	// As if parsed from rootedURL+"?"+query: an empty query leaves a "?".
	req.URL.RawQuery, req.URL.ForceQuery = query.String(), query.Len() == 0
	headers := append(make([]string, 0, 10), "x-acs-action", op.Action, "x-acs-version", op.Version, "User-Agent", userAgent)
	if r.Format == "" {
		headers = append(headers, "Accept", "application/json")
	}
	if len(body) > 0 {
		headers = append(headers, "Content-Type", formMediaType)
	}
	if sig == wire.SignV3 { // room for its headers: a map grown past 8 keys is rebuilt
		req.Header = make(http.Header, len(headers)/2+v3Headers)
	}
	setHeaders(req.Header, headers...)
	return req, body, acct, nil
}

// rootedURL is op's base URL with "/" appended when it has no path.
func (c *Client) rootedURL(op *specs.Operation) string {
	u := c.BaseURL(op)
	if rooted, ok := c.rooted.Load(u); ok {
		return rooted.(string)
	}
	rooted := u
	if base, _ := url.Parse(u); base != nil && base.Path == "" {
		rooted += "/"
	}
	c.rooted.Store(u, rooted)
	return rooted
}

// commonQuery is what precedes the business parameters in the query:
// Action, Format and Version for V1 and unsigned requests (Format "json"
// unless r asks otherwise, as the SDK sends it); for V3 only a requested
// Format.
func commonQuery(op *specs.Operation, r wire.Request, sig wire.Signature) []wire.Pair {
	if sig == wire.SignV3 {
		if r.Format == "" {
			return nil
		}
		return []wire.Pair{{Key: "Format", Value: r.Format, In: "query"}}
	}
	format := r.Format
	if format == "" {
		format = "json"
	}
	return []wire.Pair{
		{Key: "Action", Value: op.Action, In: "query"},
		{Key: "Format", Value: format, In: "query"},
		{Key: "Version", Value: op.Version, In: "query"},
	}
}

// Throttled slows down the paced traffic of the account (an index of the
// target's accounts) to op after a throttled answer (Pacer.Throttled).
func (c *Client) Throttled(op *specs.Operation, account int) {
	if account >= 0 && account < len(c.target.Accounts) {
		c.pacer.Throttled(op, c.target.Accounts[account].AccessKeyID)
	}
}

// admit waits for the pacer (or registers a burst).
func (c *Client) admit(ctx context.Context, op *specs.Operation, account string, burst bool) (func(), error) {
	if burst {
		return c.pacer.Burst(ctx, op, account)
	}
	return c.pacer.Wait(ctx, op, account)
}

// sign signs req as sig says, with the fault opts.Tamper names, and
// returns the signature nonce it used ("" when unsigned).
func (c *Client) sign(req *http.Request, body string, acct Account, sig wire.Signature, opts SendOptions) (string, error) {
	if sig == wire.SignNone {
		return "", nil
	}
	date, nonce := c.now(), c.nonce()
	switch opts.Tamper {
	case wire.TamperNone, wire.TamperUnsigned:
	case wire.TamperWrongSignature:
		acct.AccessKeySecret += "-wrong"
	case wire.TamperExpiredTimestamp:
		date = date.Add(-expiredAge)
	case wire.TamperUnknownAccessKey:
		acct.AccessKeyID = unknownAccessKeyID
	case wire.TamperReusedNonce:
		nonce = opts.Nonce
		if nonce == "" {
			nonce = c.previousNonce(acct.AccessKeyID)
		}
		if nonce == "" {
			return "", errors.New("runner: reused-nonce before any signed request and without SendOptions.Nonce")
		}
	default:
		return "", fmt.Errorf("runner: unknown tamper %q", opts.Tamper)
	}
	if sig == wire.SignV3 {
		signV3(req, payloadHash(body), acct, date, nonce, &c.macs)
	} else {
		signV1(req, body, acct, date, nonce, &c.macs)
	}
	switch opts.Tamper {
	case wire.TamperUnsigned:
		unsign(req)
	case wire.TamperNone:
		c.remember(acct.AccessKeyID, nonce)
	}
	return nonce, nil
}

// unsign removes the signature itself, leaving the other signing parts.
func unsign(req *http.Request) {
	req.Header.Del(headerAuth)
	pairs, _ := wire.ParsePairs(req.URL.RawQuery, "query")
	req.URL.RawQuery = wire.JoinPairs(withoutKeys(pairs, []string{paramSig}))
}

// remember keeps the nonce of an untampered signed request of account, the
// one a target has surely seen used.
func (c *Client) remember(account, nonce string) {
	c.mu.Lock()
	c.lastNonce[account] = nonce
	c.mu.Unlock()
}

func (c *Client) previousNonce(account string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.lastNonce[account]
}

// randomNonce is 16 random bytes in hex: no two requests share one.
func randomNonce() string {
	b := make([]byte, 16)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// do sends req within the timeout and records the exchange.
func (c *Client) do(ctx context.Context, req *http.Request, body string, sig wire.Signature) Exchange {
	ex := record(req, body, sig)
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	start := time.Now()
	resp, err := c.http.Do(req.WithContext(ctx))
	if err != nil {
		ex.Err = describe(err, c.timeout)
		ex.Duration = time.Since(start)
		return ex
	}
	defer resp.Body.Close()
	ex.Status, ex.RespHeader = resp.StatusCode, resp.Header // the response's own: not shared
	ex.RespBody, ex.Err = readBounded(resp.Body, c.timeout)
	ex.Duration = time.Since(start)
	return ex
}

// record is the exchange's request side, not yet redacted. It shares
// req's header, which redact copies before it masks anything in it (req
// is the exchange's own, made by build and dropped after sending).
func record(req *http.Request, body string, sig wire.Signature) Exchange {
	return Exchange{Method: req.Method, URL: req.URL.String(), Header: req.Header, Body: body, Signature: sig}
}

// readBounded reads at most MaxResponseBody bytes of body, then discards
// up to maxDiscard more; the message says what went wrong, "" if nothing.
func readBounded(body io.Reader, timeout time.Duration) ([]byte, string) {
	data, err := io.ReadAll(io.LimitReader(body, MaxResponseBody+1))
	if err != nil {
		return data, "reading the response body: " + describe(err, timeout)
	}
	if len(data) > MaxResponseBody {
		io.CopyN(io.Discard, body, maxDiscard)
		return data[:MaxResponseBody], fmt.Sprintf("response body longer than %d bytes: truncated", MaxResponseBody)
	}
	return data, ""
}

// describe words a transport error without the request URL (which the
// redacted exchange already holds).
func describe(err error, timeout time.Duration) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Sprintf("timeout: no complete response within %v", timeout)
	}
	if errors.Is(err, context.Canceled) {
		return "canceled before a complete response"
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return "transport: " + err.Error()
}
