package emulator

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	"github.com/alibabacloud-go/tea/dara"
)

// The operations' wire names, for tests.
const (
	opRAM         = "ram"
	opEDS         = "eds-user"
	opBastionhost = "bastionhost"
)

// wireNames maps a test operation to its Action and Version.
var wireNames = map[string][2]string{
	opRAM:         {"CreateUser", "2015-05-01"},
	opEDS:         {"CreateUsers", "2021-03-08"},
	opBastionhost: {"CreateUser", "2019-12-09"},
}

// testCall is one request a test sends; its signature is computed with the
// official SDK's own signing functions, so the emulator is checked against
// the SDK rather than against itself.
type testCall struct {
	Op     string // opRAM, opEDS, opBastionhost; Action/Version override it
	Sig    string // "v3" (default), "v1" or "none"
	Method string // "" means POST
	Query  map[string]string
	Form   map[string]string
	// AK and Secret default to the emulator's default account.
	AK, Secret string
	// Date is the signed timestamp; zero means now.
	Date time.Time
	// Nonce is the signature nonce; "" means a fresh one.
	Nonce string
	// Action and Version override Op's when set.
	Action, Version string
	// Tamper, when set, changes the request after signing.
	Tamper func(*http.Request)
}

// testResponse is what came back, the body decoded when it is JSON.
type testResponse struct {
	Status int
	Header http.Header
	Raw    string
	Body   map[string]any
}

// str returns the body's string field at a dotted path ("User.UserId").
func (r testResponse) str(path string) string {
	var v any = r.Body
	for _, k := range strings.Split(path, ".") {
		m, _ := v.(map[string]any)
		v = m[k]
	}
	s, _ := v.(string)
	return s
}

// steppingClock returns a clock that starts now and moves step forward at
// every reading, so that a test's calls are spread out in emulated time
// (keeping Bastionhost under its rate limit) whatever the machine's speed.
func steppingClock(step time.Duration) func() time.Time {
	var mu sync.Mutex
	now := time.Now()
	return func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		now = now.Add(step)
		return now
	}
}

// newTestServer starts an httptest server over New(opts).
func newTestServer(t *testing.T, opts Options) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(New(opts))
	t.Cleanup(srv.Close)
	return srv
}

// send signs c as the SDK would and sends it to baseURL.
func send(t testing.TB, baseURL string, c testCall) testResponse {
	t.Helper()
	return sendRaw(t, c.build(t, baseURL))
}

// sendRaw sends an already built request.
func sendRaw(t testing.TB, hr *http.Request) testResponse {
	t.Helper()
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	defer resp.Body.Close()
	return readResponse(t, resp)
}

// serveRecorded runs hr through h in memory.
func serveRecorded(t testing.TB, h http.Handler, hr *http.Request) testResponse {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, hr)
	return readResponse(t, rec.Result())
}

// readResponse reads and decodes a response.
func readResponse(t testing.TB, resp *http.Response) testResponse {
	t.Helper()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	out := testResponse{Status: resp.StatusCode, Header: resp.Header, Raw: string(raw)}
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(raw, &out.Body); err != nil {
			t.Fatalf("response is not JSON: %v: %s", err, raw)
		}
	}
	return out
}

// build makes the signed HTTP request.
func (c testCall) build(t testing.TB, baseURL string) *http.Request {
	t.Helper()
	c.defaults()
	query := copyMap(c.Query)
	form := url.Values{}
	for k, v := range c.Form {
		form.Set(k, v)
	}
	body := form.Encode()
	headers := map[string]string{}
	u, _ := url.Parse(baseURL)
	switch c.Sig {
	case "v3":
		headers = c.v3Headers(u.Host, query, body)
	case "v1":
		c.v1Sign(query)
	}
	if c.Sig != "v3" {
		query["Action"], query["Version"] = c.Action, c.Version
	}
	hr, err := http.NewRequest(c.Method, baseURL+"/?"+encodeQuery(query), strings.NewReader(body))
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	for k, v := range headers {
		hr.Header.Set(k, v)
	}
	if body != "" {
		hr.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	if c.Tamper != nil {
		c.Tamper(hr)
	}
	return hr
}

// defaults fills c's zero fields.
func (c *testCall) defaults() {
	if c.Sig == "" {
		c.Sig = "v3"
	}
	if c.Method == "" {
		c.Method = http.MethodPost
	}
	if c.AK == "" {
		c.AK, c.Secret = DefaultAccessKeyID, DefaultAccessKeySecret
	}
	if c.Date.IsZero() {
		c.Date = time.Now()
	}
	if c.Nonce == "" {
		c.Nonce = rand.Text()
	}
	if c.Action == "" {
		c.Action, c.Version = wireNames[c.Op][0], wireNames[c.Op][1]
	}
}

// v3Headers returns the headers of a V3 request, Authorization computed by
// the SDK's GetAuthorization.
func (c testCall) v3Headers(host string, query map[string]string, body string) map[string]string {
	payload := sha256.Sum256([]byte(body))
	h := map[string]string{
		"host":                  host,
		"x-acs-action":          c.Action,
		"x-acs-version":         c.Version,
		"x-acs-date":            c.Date.UTC().Format("2006-01-02T15:04:05Z"),
		"x-acs-signature-nonce": c.Nonce,
		"x-acs-content-sha256":  hex.EncodeToString(payload[:]),
	}
	if body != "" {
		h["content-type"] = "application/x-www-form-urlencoded"
	}
	req := dara.NewRequest()
	req.Method = dara.String(c.Method)
	req.Pathname = dara.String("/")
	req.Query = stringPtrs(query)
	req.Headers = stringPtrs(h)
	h["Authorization"] = dara.StringValue(openapiutil.GetAuthorization(req, dara.String("ACS3-HMAC-SHA256"),
		dara.String(h["x-acs-content-sha256"]), dara.String(c.AK), dara.String(c.Secret)))
	delete(h, "host")
	return h
}

// v1Sign adds the V1 common parameters and the SDK's GetRPCSignature to query.
func (c testCall) v1Sign(query map[string]string) {
	query["Action"], query["Version"] = c.Action, c.Version
	query["AccessKeyId"] = c.AK
	query["SignatureMethod"] = "HMAC-SHA1"
	query["SignatureVersion"] = "1.0"
	query["SignatureNonce"] = c.Nonce
	query["Timestamp"] = c.Date.UTC().Format("2006-01-02T15:04:05Z")
	if _, set := query["Format"]; !set {
		query["Format"] = "JSON"
	}
	signed := copyMap(query)
	for k, v := range c.Form {
		signed[k] = v
	}
	query["Signature"] = dara.StringValue(openapiutil.GetRPCSignature(stringPtrs(signed), dara.String(c.Method), dara.String(c.Secret)))
}

// stringPtrs converts a map to the SDK's map of pointers.
func stringPtrs(m map[string]string) map[string]*string {
	out := make(map[string]*string, len(m))
	for k, v := range m {
		out[k] = dara.String(v)
	}
	return out
}

// copyMap returns a copy of m, never nil.
func copyMap(m map[string]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// encodeQuery encodes a query, spaces as '+' as Go's url package does.
func encodeQuery(m map[string]string) string {
	v := url.Values{}
	for k, x := range m {
		v.Set(k, x)
	}
	return v.Encode()
}

// ramUserParams returns a valid RAM CreateUser query for name.
func ramUserParams(name string) map[string]string {
	return map[string]string{
		"UserName": name, "DisplayName": "张强", "MobilePhone": "86-18688888888",
		"Email": "zhangqiang@example.com", "Comments": "这是一位云计算工程师",
	}
}

// bastionhostParams returns a valid Bastionhost CreateUser query for name.
func bastionhostParams(name string) map[string]string {
	return map[string]string{
		"InstanceId": DefaultBastionhostInstance, "Source": "Local", "UserName": name, "Password": "Passw0rd!x",
	}
}

// edsForm returns a valid eds-user CreateUsers form creating ids.
func edsForm(ids ...string) map[string]string {
	form := map[string]string{}
	for i, id := range ids {
		form[fmt.Sprintf("Users.%d.EndUserId", i+1)] = id
		form[fmt.Sprintf("Users.%d.Email", i+1)] = id + "@example.com"
	}
	return form
}
