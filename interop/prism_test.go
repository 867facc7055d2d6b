package interop

import (
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/acsconform/acsconform/specs"
)

// prismKinds are the rule kinds whose single-rule cases Prism must reject.
// A flat list's max-items is not among them: a plain document lists the
// elements it describes and lets others through, as the gateway ignores
// unknown keys.
var prismKinds = []specs.RuleKind{specs.RuleRequired, specs.RuleMaxLength, specs.RulePattern, specs.RuleEnum, specs.RuleMaxItems}

// request is one call as the exported document describes it: query
// parameters and a form body.
type request struct {
	query, body url.Values
}

// clone returns a deep copy of r.
func (r request) clone() request {
	c := request{query: url.Values{}, body: url.Values{}}
	for k, v := range r.query {
		c.query[k] = append([]string(nil), v...)
	}
	for k, v := range r.body {
		c.body[k] = append([]string(nil), v...)
	}
	return c
}

// values returns the half of r where p travels.
func (r request) values(p *specs.Param) url.Values {
	if p.In == specs.InBody {
		return r.body
	}
	return r.query
}

// wireName is p's name on the wire, in the first element of a flat list
// ("Users[].EndUserId" is "Users.1.EndUserId").
func wireName(p *specs.Param) string { return strings.ReplaceAll(p.Path, "[].", ".1.") }

// leaves are the parameters of op that are one value on the wire: top-level
// ones and the fields of the first element of a flat list.
func leaves(op *specs.Operation) []*specs.Param {
	var out []*specs.Param
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat && p.Items != nil {
			out = append(out, p.Items.Fields...)
			continue
		}
		out = append(out, p)
	}
	return out
}

// satisfies reports whether v keeps p's length, pattern (both readings)
// and enum.
func satisfies(p *specs.Param, v string) bool {
	n := specs.Length(v)
	switch {
	case p.MinLength != nil && n < *p.MinLength, p.MaxLength != nil && n > *p.MaxLength:
		return false
	case p.Pattern != nil && !p.Pattern.MatchString(v), p.StrictPattern != nil && !p.StrictPattern.MatchString(v):
		return false
	}
	if len(p.Enum) == 0 {
		return true
	}
	for _, e := range p.Enum {
		if e == v {
			return true
		}
	}
	return false
}

// validValue is a value of p that every reading of the docs accepts.
func validValue(t *testing.T, p *specs.Param) string {
	t.Helper()
	v, ok := tryValid(p)
	if !ok {
		t.Fatalf("no valid value found for %s", p.Path)
	}
	return v
}

// tryValid is a value of p that every reading of the docs accepts, if one
// of a few candidates is.
func tryValid(p *specs.Param) (string, bool) {
	switch {
	case p.Style == specs.StyleJSON:
		if p.Items != nil && len(p.Items.Enum) > 0 {
			return `["` + p.Items.Enum[0] + `"]`, true
		}
		return "[]", true
	case p.Kind == specs.KindInteger:
		return "1", true
	case p.Kind == specs.KindBoolean:
		return "true", true
	case len(p.Enum) > 0:
		return p.Enum[0], true
	}
	candidates := []string{p.Example, p.Default, "acsconform1", "acsconform_1", "abc", "Acsconform1!x"}
	if p.MinLength != nil {
		candidates = append(candidates, strings.Repeat("a", *p.MinLength))
	}
	for _, v := range candidates {
		if v != "" && satisfies(p, v) {
			return v, true
		}
	}
	return "", false
}

// brokenValue is a value of p that breaks rule r alone, or ok false.
func brokenValue(p *specs.Param, r *specs.Rule, valid string) (string, bool) {
	switch r.Kind {
	case specs.RuleMaxLength:
		limit := r.Limit
		for _, pad := range []rune(valid) {
			v := valid + strings.Repeat(string(pad), limit+1-specs.Length(valid))
			if p.Pattern == nil || p.Pattern.MatchString(v) {
				return v, true
			}
		}
	case specs.RulePattern:
		for _, bad := range []string{"!", "#", " ", `"`, "%", "~", "。", "\u00e9"} {
			v := valid + bad
			if p.MaxLength != nil && specs.Length(v) > *p.MaxLength {
				v = string([]rune(valid)[:*p.MaxLength-1]) + bad
			}
			if !p.Pattern.MatchString(v) {
				return v, true
			}
		}
	case specs.RuleEnum:
		if p.Style == specs.StyleJSON {
			return `["not-a-documented-value"]`, true
		}
		return "not-a-documented-value", true
	case specs.RuleMaxItems:
		if p.Style == specs.StyleJSON && p.Items != nil && len(p.Items.Enum) > 0 {
			item := `"` + p.Items.Enum[0] + `"`
			return "[" + strings.TrimSuffix(strings.Repeat(item+",", r.Limit+1), ",") + "]", true
		}
	}
	return "", false
}

// prismCase is one request and whether Prism must accept it.
type prismCase struct {
	name   string
	req    request
	accept bool
	param  string // the wire name a rejection must name (Prism writes query names in lower case)
}

// prismCases are a valid request of op (every required parameter, and the
// optional ones a valid value is found for) and one request per rule of
// prismKinds, each breaking that rule alone.
func prismCases(t *testing.T, op *specs.Operation) []prismCase {
	t.Helper()
	byPath := map[string]*specs.Param{}
	valid := request{query: url.Values{}, body: url.Values{}}
	for _, p := range leaves(op) {
		byPath[p.Path] = p
		if p.Required {
			valid.values(p).Set(wireName(p), validValue(t, p))
		} else if v, ok := tryValid(p); ok {
			valid.values(p).Set(wireName(p), v) // optional ones too, where a value is at hand
		}
	}
	type change struct {
		rule  *specs.Rule
		param *specs.Param
		bad   *string // nil: left out
	}
	var changes []change
	for _, r := range op.Rules {
		p, ok := byPath[r.Param]
		if !ok || !containsKind(r.Kind) {
			continue
		}
		if r.Kind == specs.RuleRequired {
			changes = append(changes, change{rule: r, param: p})
			continue
		}
		v := validValue(t, p)
		bad, ok := brokenValue(p, r, v)
		if !ok {
			continue // the max-items of a flat list
		}
		valid.values(p).Set(wireName(p), v) // the valid request has every parameter a case breaks
		changes = append(changes, change{rule: r, param: p, bad: &bad})
	}
	var broken []prismCase
	for _, c := range changes {
		name := wireName(c.param)
		req := valid.clone()
		if c.bad == nil {
			req.values(c.param).Del(name)
		} else {
			req.values(c.param).Set(name, *c.bad)
		}
		broken = append(broken, prismCase{name: c.rule.ID, req: req, param: name})
	}
	return append([]prismCase{{name: "valid", req: valid, accept: true}}, broken...)
}

// containsKind reports whether k is one of prismKinds.
func containsKind(k specs.RuleKind) bool {
	for _, x := range prismKinds {
		if x == k {
			return true
		}
	}
	return false
}

func TestPrismValidatesExportedSpecs(t *testing.T) {
	t.Parallel()
	prism := tool(t, "prism")
	m, err := specs.Load()
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	seen := map[specs.RuleKind]int{}
	t.Run("ops", func(t *testing.T) {
		for _, op := range m.Operations {
			t.Run(op.ID, func(t *testing.T) {
				t.Parallel()
				cases := prismCases(t, op)
				t.Logf("%d requests: a valid one and %d each breaking one rule", len(cases), len(cases)-1)
				mu.Lock()
				for _, c := range cases[1:] {
					r, _ := op.Rule(c.name)
					seen[r.Kind]++
				}
				mu.Unlock()
				servePrism(t, prism, op, cases)
			})
		}
	})
	for _, k := range []specs.RuleKind{specs.RuleRequired, specs.RuleMaxLength, specs.RulePattern, specs.RuleEnum} {
		if seen[k] == 0 {
			t.Errorf("no case of rule kind %s was sent to Prism", k)
		}
	}
}

// servePrism exports op, serves it with 'prism mock' (which validates every
// request) and sends each case.
func servePrism(t *testing.T, prism string, op *specs.Operation, cases []prismCase) {
	doc, err := specs.Export(op, specs.ExportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), specs.ExportFile(op))
	if err := os.WriteFile(file, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	addr := "127.0.0.1:" + strconv.Itoa(freePort(t))
	host, port, _ := strings.Cut(addr, ":")
	srv := background(t, prism, "mock", "--host", host, "--port", port, "--errors", "false", file)
	srv.waitFor(t, 2*time.Minute, func() bool { return listening(addr) })

	client := &http.Client{Timeout: 30 * time.Second}
	for _, c := range cases {
		u := "http://" + addr + "/?" + c.req.query.Encode()
		req, err := http.NewRequest(http.MethodPost, u, strings.NewReader(c.req.body.Encode()))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Authorization", "ACS3-HMAC-SHA256 Credential=AK,SignedHeaders=host,Signature=x")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("%s: %v\nprism:\n%s", c.name, err, short(srv.out.String()))
		}
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		violations := resp.Header.Get("sl-violations")
		switch {
		case c.accept && resp.StatusCode != http.StatusOK:
			t.Errorf("%s: Prism rejected a valid request (HTTP %d): %s\nquery %s\nbody %s\n%s",
				c.name, resp.StatusCode, violations, c.req.query.Encode(), c.req.body.Encode(), short(string(body)))
		case !c.accept && (resp.StatusCode < 400 || resp.StatusCode >= 500):
			t.Errorf("%s: Prism accepted a request breaking it (HTTP %d)\nquery %s\nbody %s",
				c.name, resp.StatusCode, c.req.query.Encode(), c.req.body.Encode())
		case !c.accept && !strings.Contains(strings.ToLower(violations), strings.ToLower(c.param)):
			t.Errorf("%s: Prism rejected the request, but not for %s: %s", c.name, c.param, violations)
		}
	}
}
