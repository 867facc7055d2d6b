package proxy_test

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/url"
	"os"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	openapi "github.com/alibabacloud-go/darabonba-openapi/v2/client"
	openapiutil "github.com/alibabacloud-go/darabonba-openapi/v2/utils"
	ram "github.com/alibabacloud-go/ram-20150501/v2/client"
	"github.com/alibabacloud-go/tea/dara"
	"github.com/alibabacloud-go/tea/tea"
	bastionhost "github.com/alibabacloud-go/yundun-bastionhost-20191209/v2/client"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/proxy"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// gateTable prints the per-SDK table after the tests (make sdk-gate).
var gateTable = flag.String("sdk-gate-table", "", "write the SDK gate's per-SDK table to `FILE`")

// Bounds of the SDK gate: valid requests per SDK and signature version,
// and rule-breaking requests per rule.
const (
	gateValid   = 6
	gateInvalid = 1
)

// forcedAnswer returns the emulator options making op answer every
// request with the documented code (emulator.Options.Answers); false when
// the emulator cannot give that answer on demand.
func forcedAnswer(op, code string) (emulator.Options, bool) {
	opts := emulator.Options{Answers: []emulator.ForcedAnswer{{Operation: op, Code: code}}}
	return opts, emulator.CheckAnswers(opts.Answers) == nil
}

// sdkStats is what one SDK's gate did.
type sdkStats struct {
	requests, parsed, findings int
	codes                      map[string]bool // documented error codes that reached the SDK
}

var (
	statsMu sync.Mutex
	stats   = map[string]*sdkStats{}
)

func statsOf(sdk string) *sdkStats {
	statsMu.Lock()
	defer statsMu.Unlock()
	if stats[sdk] == nil {
		stats[sdk] = &sdkStats{codes: map[string]bool{}}
	}
	return stats[sdk]
}

func TestMain(m *testing.M) {
	flag.Parse()
	code := m.Run()
	if *gateTable != "" {
		if f, err := os.Create(*gateTable); err == nil {
			printTable(f)
			f.Close()
		}
	}
	os.Exit(code)
}

// printTable writes one row per SDK.
func printTable(w io.Writer) {
	fmt.Fprintf(w, "%-42s %9s %14s %9s  %s\n", "SDK", "REQUESTS", "ANSWERS-PARSED", "FINDINGS", "DOCUMENTED ERRORS REACHED")
	for _, sdk := range sdkNames {
		s := statsOf(sdk.name)
		var codes []string
		for c := range s.codes {
			codes = append(codes, c)
		}
		sort.Strings(codes)
		fmt.Fprintf(w, "%-42s %9d %14d %9d  %s\n", sdk.name, s.requests, s.parsed, s.findings, strings.Join(codes, " "))
	}
}

// sdkNames are the SDKs under the gate, by the operation they call.
var sdkNames = []struct{ op, name string }{
	{"ram", "ram-20150501/v2 v2.2.1"},
	{"eds-user", "darabonba-openapi/v2 v2.1.14 CallApi"},
	{"bastionhost", "yundun-bastionhost-20191209/v2 v2.5.1"},
}

// sdkCall sends r through the official SDK of its operation and returns
// the SDK's typed (or, for CallApi, generic) response body.
type sdkCall func(cfg *openapiutil.Config, r wire.Request) (any, error)

// calls are the SDK clients per operation.
func calls(op *specs.Operation) sdkCall {
	switch op.ID {
	case "ram":
		return func(cfg *openapiutil.Config, r wire.Request) (any, error) {
			c, err := ram.NewClient(cfg)
			if err != nil {
				return nil, err
			}
			req := &ram.CreateUserRequest{}
			if err := setFields(req, r.Params); err != nil {
				return nil, err
			}
			resp, err := c.CreateUser(req)
			if err != nil {
				return nil, err
			}
			return resp.Body, nil
		}
	case "bastionhost":
		return func(cfg *openapiutil.Config, r wire.Request) (any, error) {
			c, err := bastionhost.NewClient(cfg)
			if err != nil {
				return nil, err
			}
			req := &bastionhost.CreateUserRequest{}
			if err := setFields(req, r.Params); err != nil {
				return nil, err
			}
			resp, err := c.CreateUser(req)
			if err != nil {
				return nil, err
			}
			return resp.Body, nil
		}
	}
	return func(cfg *openapiutil.Config, r wire.Request) (any, error) {
		c, err := openapi.NewClient(cfg)
		if err != nil {
			return nil, err
		}
		params := &openapiutil.Params{
			Action: dara.String(op.Action), Version: dara.String(op.Version), Protocol: dara.String("HTTPS"),
			Pathname: dara.String("/"), Method: dara.String("POST"), AuthType: dara.String("AK"),
			Style: dara.String("RPC"), ReqBodyType: dara.String("formData"), BodyType: dara.String("json"),
		}
		query, body := map[string]any{}, map[string]any{}
		for _, p := range op.Params {
			dst := query
			if p.In == specs.InBody {
				dst = body
			}
			if v, ok := r.Params[p.Name]; ok {
				dst[p.Name] = v
			}
			if list, ok := r.Lists[p.Name]; ok {
				var els []any
				for _, el := range list {
					m := map[string]any{}
					for k, v := range el {
						m[k] = v
					}
					els = append(els, m)
				}
				dst[p.Name] = els
			}
		}
		res, err := c.CallApi(params, &openapiutil.OpenApiRequest{Query: openapiutil.Query(query), Body: body}, &dara.RuntimeOptions{})
		if err != nil {
			return nil, err
		}
		return res["body"], nil
	}
}

// errUnexpressible marks a request the SDK's typed fields cannot carry.
var errUnexpressible = errors.New("not expressible in the SDK's typed request")

// setFields sets the SDK request's field of each parameter from its wire
// text; a parameter the SDK has no field for fails the gate.
func setFields(req any, params map[string]string) error {
	v := reflect.ValueOf(req).Elem()
	for name, text := range params {
		f := v.FieldByName(name)
		if !f.IsValid() {
			return fmt.Errorf("the SDK request has no field for the documented parameter %s", name)
		}
		switch f.Type().Elem().Kind() {
		case reflect.String:
			f.Set(reflect.ValueOf(dara.String(text)))
		case reflect.Int64, reflect.Int32, reflect.Int:
			n, err := strconv.ParseInt(text, 10, 64)
			if err != nil {
				return errUnexpressible
			}
			p := reflect.New(f.Type().Elem())
			p.Elem().SetInt(n)
			f.Set(p)
		case reflect.Bool:
			b, err := strconv.ParseBool(text)
			if err != nil || (text != "true" && text != "false") {
				return errUnexpressible
			}
			f.Set(reflect.ValueOf(dara.Bool(b)))
		default:
			return fmt.Errorf("field %s of type %s", name, f.Type())
		}
	}
	return nil
}

// skipInvalid reports why a rule-breaking case does not go through a typed
// SDK: type rules are wire faults (the proxy's request-wire), and cases
// needing setup, declarations or raw pairs belong to the run's checks.
func skipInvalid(rule *specs.Rule, c fuzz.Case) bool {
	switch rule.Kind {
	case specs.RuleType, specs.RuleUnique, specs.RuleQuota, specs.RuleRateLimit:
		return true
	}
	return len(c.Setup) > 0 || c.Needs != "" || len(c.Request.Raw) > 0
}

// TestSDKGate drives each official SDK, V3 and V1, with valid requests
// from fuzz.Valid and rule-breaking ones from fuzz.InvalidFor, through the
// proxy to the emulator: the proxy finds nothing, every typed field the
// SDK parsed equals what the emulator sent, and every error reaches the
// SDK as *tea.SDKError with the Code, StatusCode and RequestId sent.
func TestSDKGate(t *testing.T) {
	model, err := specs.Load()
	if err != nil {
		t.Fatal(err)
	}
	g := startGateWith(t, proxy.Options{}, emulator.Options{Now: steppingClock(150 * time.Millisecond)})
	names := fuzz.NewNames(7)
	for _, sdk := range sdkNames {
		op, _ := model.Operation(sdk.op)
		call := calls(op)
		st := statsOf(sdk.name)
		for _, alg := range []string{"", "v2"} {
			t.Run(sdk.op+"/"+signingName(alg), func(t *testing.T) {
				cfg := sdkConfig(t, g.url, alg)
				send := func(label string, r wire.Request) {
					t.Helper()
					body, err := call(cfg, r)
					if errors.Is(err, errUnexpressible) {
						return
					}
					seen := g.take()
					if len(seen) != 1 {
						t.Fatalf("%s: the proxy observed %d exchanges, want 1 (err %v)", label, len(seen), err)
					}
					o := seen[0]
					st.requests++
					st.findings += len(o.Findings)
					for _, f := range o.Findings {
						t.Errorf("%s: proxy finding %s %s: expected %s; actual %s\n%s", label, f.Check, f.Rule, f.Expected, f.Actual, f.Request)
					}
					if ok := checkAnswer(t, label, o, body, err, st); ok {
						st.parsed++
					}
				}
				for i := 0; i < gateValid; i++ {
					r := names.Apply(op, fuzz.Valid(op).Example(i))
					setInstance(op, &r, nil)
					send(fmt.Sprintf("valid #%d", i), r)
				}
				for _, rule := range op.Rules {
					if !fuzz.Breakable(rule) {
						continue
					}
					for i := 0; i < gateInvalid; i++ {
						c := fuzz.InvalidFor(op, rule).Example(i)
						if skipInvalid(rule, c) {
							continue
						}
						r := names.Apply(op, c.Request)
						if oracle.Evaluate(op, rule, r) != oracle.Broken {
							r = c.Request // the broken value is the name itself
						}
						setInstance(op, &r, rule)
						send(rule.ID, r)
					}
				}
				// A duplicate create, and an AccessKeyId the upstream does not know.
				r := names.Apply(op, fuzz.Valid(op).Example(100))
				setInstance(op, &r, nil)
				send("first create", r)
				send("duplicate create", r)
				unknown := sdkConfig(t, g.url, alg)
				unknown.AccessKeyId = dara.String("LTAIunknownToTheGate")
				if body, err := call(unknown, r); true {
					o := g.take()
					if len(o) == 1 {
						st.requests++
						st.findings += len(o[0].Findings)
						if checkAnswer(t, "unknown AccessKeyId", o[0], body, err, st) {
							st.parsed++
						}
					}
				}
			})
		}
		driven := map[string]bool{}
		for c := range st.codes {
			driven[c] = true
		}
		for _, e := range append(append([]*specs.ErrorDef(nil), op.Errors...), model.GatewayErrors...) {
			if e.Batch || driven[e.Code] || strings.Contains(e.Code, "<") {
				continue
			}
			eopts, ok := forcedAnswer(op.ID, e.Code)
			if !ok {
				if _, own := op.Error(e.Code); own {
					t.Errorf("%s: the emulator cannot give its documented error %d %s on demand", sdk.op, e.Status, e.Code)
				}
				continue // a gateway code of another operation's parameter
			}
			t.Run(sdk.op+"/forced/"+e.Code, func(t *testing.T) {
				fg := startGateWith(t, proxy.Options{}, eopts)
				r := names.Apply(op, fuzz.Valid(op).Example(200))
				setInstance(op, &r, nil)
				body, err := call(sdkConfig(t, fg.url, ""), r)
				seen := fg.take()
				if len(seen) != 1 {
					t.Fatalf("the proxy observed %d exchanges, want 1", len(seen))
				}
				st.requests++
				// the answer was forced: the proxy rightly judges it against
				// the request; what must hold is that the SDK sent a
				// conforming request and parses the documented answer
				for _, f := range seen[0].Findings {
					if strings.HasPrefix(f.Check, "request-") {
						st.findings++
						t.Errorf("proxy finding %s %s: expected %s; actual %s", f.Check, f.Rule, f.Expected, f.Actual)
					}
				}
				if checkAnswer(t, e.Code, seen[0], body, err, st) {
					st.parsed++
				}
			})
		}
	}
}

// checkAnswer compares what the SDK made of an answer with the answer the
// proxy saw, and reports whether the SDK parsed it faithfully.
func checkAnswer(t *testing.T, label string, o proxy.Observed, body any, err error, st *sdkStats) bool {
	t.Helper()
	var sent map[string]any
	if jerr := json.Unmarshal(o.RespBody, &sent); jerr != nil {
		t.Errorf("%s: the answer is not JSON: %v", label, jerr)
		return false
	}
	if o.Status != 200 {
		var sdkErr *tea.SDKError
		if !errors.As(err, &sdkErr) {
			t.Errorf("%s: HTTP %d reached the SDK as %T %v, want *tea.SDKError", label, o.Status, err, err)
			return false
		}
		var data map[string]any
		json.Unmarshal([]byte(dara.StringValue(sdkErr.Data)), &data)
		code, status, rid := dara.StringValue(sdkErr.Code), dara.IntValue(sdkErr.StatusCode), fmt.Sprint(data["RequestId"])
		if code != sent["Code"] || status != o.Status || rid != sent["RequestId"] {
			t.Errorf("%s: the SDK error is %d %s RequestId %s; the upstream sent %d %v RequestId %v", label, status, code, rid, o.Status, sent["Code"], sent["RequestId"])
			return false
		}
		st.codes[code] = true
		return true
	}
	if err != nil {
		t.Errorf("%s: HTTP 200 reached the SDK as error %v", label, err)
		return false
	}
	if problem := sameFields(reflect.ValueOf(body), sent, "body"); problem != "" {
		t.Errorf("%s: %s", label, problem)
		return false
	}
	return true
}

// sameFields compares a typed (or generic) SDK value with the JSON the
// upstream sent: every field of the SDK's type that the JSON holds is
// parsed, with the same value.
func sameFields(v reflect.Value, sent any, path string) string {
	for v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface {
		if v.IsNil() {
			if sent == nil {
				return ""
			}
			return fmt.Sprintf("%s: sent %v, the SDK parsed nothing", path, sent)
		}
		v = v.Elem()
	}
	switch v.Kind() {
	case reflect.Struct:
		m, ok := sent.(map[string]any)
		if !ok {
			return fmt.Sprintf("%s: sent %T, the SDK parsed an object", path, sent)
		}
		for i := 0; i < v.NumField(); i++ {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			if s, present := m[name]; present {
				if p := sameFields(v.Field(i), s, path+"."+name); p != "" {
					return p
				}
			}
		}
		return ""
	case reflect.Map:
		m, ok := sent.(map[string]any)
		if !ok || v.Len() != len(m) {
			return fmt.Sprintf("%s: sent %v, the SDK parsed %v", path, sent, v.Interface())
		}
		for k, s := range m {
			if p := sameFields(v.MapIndex(reflect.ValueOf(k)), s, path+"."+k); p != "" {
				return p
			}
		}
		return ""
	case reflect.Slice:
		l, ok := sent.([]any)
		if !ok || v.Len() != len(l) {
			return fmt.Sprintf("%s: sent %v, the SDK parsed %d elements", path, sent, v.Len())
		}
		for i := range l {
			if p := sameFields(v.Index(i), l[i], fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p
			}
		}
		return ""
	}
	got, _ := json.Marshal(v.Interface())
	want, _ := json.Marshal(sent)
	if string(got) != string(want) {
		return fmt.Sprintf("%s: sent %s, the SDK parsed %s", path, want, got)
	}
	return ""
}

// setInstance points the request at the emulator's Bastionhost instance,
// unless the rule broken is about the instance.
func setInstance(op *specs.Operation, r *wire.Request, broken *specs.Rule) {
	rule := op.RuleOfKind(specs.RuleExists)
	if rule == nil || (broken != nil && broken.Param == rule.Param) {
		return
	}
	r.Params[rule.Param] = emulator.DefaultBastionhostInstance
}

// sdkConfig points an official SDK client at the proxy with testAccount.
func sdkConfig(t *testing.T, base, algorithm string) *openapiutil.Config {
	t.Helper()
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &openapiutil.Config{
		Endpoint: dara.String(u.Host), Protocol: dara.String("http"),
		AccessKeyId: dara.String(testAccount.AccessKeyID), AccessKeySecret: dara.String(testAccount.AccessKeySecret),
	}
	if algorithm != "" {
		cfg.SignatureAlgorithm = dara.String(algorithm)
	}
	return cfg
}

// signingName names a signature algorithm setting.
func signingName(alg string) string {
	if alg == "" {
		return "v3"
	}
	return "v1"
}

// steppingClock advances by step at every reading, so that paced calls
// never meet the emulator's rate limit, whatever the machine's speed.
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
