package wire

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
)

var equateEmpty = cmpopts.EquateEmpty()

func TestDecodeProblems(t *testing.T) {
	op := testOp()
	q := func(k, v string) Pair { return Pair{Key: k, Value: v, In: "query"} }
	b := func(k, v string) Pair { return Pair{Key: k, Value: v, In: "body"} }
	tests := []struct {
		reason       string
		query, body  []Pair
		want         Request
		wantProblems []Problem
	}{{
		reason: "common parameters are dropped, Format read",
		query:  []Pair{q("Action", "CreateThings"), q("Version", "v"), q("Format", "XML"), q("Signature", "s"), q("Name", "n")},
		want:   Request{Op: "test", Params: map[string]string{"Name": "n"}, Format: "XML"},
	}, {
		reason:       "a repeated key keeps the first value and the rest as raw",
		query:        []Pair{q("Name", "a"), q("Name", "b")},
		want:         Request{Op: "test", Params: map[string]string{"Name": "a"}, Raw: []Pair{q("Name", "b")}},
		wantProblems: []Problem{{ProblemRepeated, "Name", "query"}},
	}, {
		reason:       "an unknown name is raw",
		query:        []Pair{q("Bogus", "x"), q("Name.1", "y")},
		want:         Request{Op: "test", Params: map[string]string{}, Raw: []Pair{q("Bogus", "x"), q("Name.1", "y")}},
		wantProblems: []Problem{{ProblemUnknown, "Bogus", "query"}, {ProblemUnknown, "Name.1", "query"}},
	}, {
		reason:       "a parameter in the wrong place is decoded and named",
		query:        []Pair{q("Password", "pw")},
		want:         Request{Op: "test", Params: map[string]string{"Password": "pw"}},
		wantProblems: []Problem{{ProblemWrongPlace, "Password", "query"}},
	}, {
		reason: "broken flattening is raw: zero, letters, leading zero, no field, no index, plain value",
		body: []Pair{b("Users.0.EndUserId", "a"), b("Users.x.EndUserId", "b"), b("Users.01.EndUserId", "c"),
			b("Users.1", "d"), b("Users.1.", "e"), b("Users", "f"), b("Users.9999999999.EndUserId", "g")},
		want: Request{Op: "test", Params: map[string]string{}, Raw: []Pair{b("Users.0.EndUserId", "a"), b("Users.x.EndUserId", "b"),
			b("Users.01.EndUserId", "c"), b("Users.1", "d"), b("Users.1.", "e"), b("Users", "f"), b("Users.9999999999.EndUserId", "g")}},
		wantProblems: []Problem{{ProblemBadIndex, "Users.0.EndUserId", "body"}, {ProblemBadIndex, "Users.x.EndUserId", "body"},
			{ProblemBadIndex, "Users.01.EndUserId", "body"}, {ProblemBadKey, "Users.1", "body"}, {ProblemBadKey, "Users.1.", "body"},
			{ProblemNotFlat, "Users", "body"}, {ProblemBadIndex, "Users.9999999999.EndUserId", "body"}},
	}, {
		reason: "a hole in the indexes is compacted in index order and named",
		body:   []Pair{b("Users.3.EndUserId", "c"), b("Users.1.EndUserId", "a"), b("Users.999999.EndUserId", "z")},
		want: Request{Op: "test", Params: map[string]string{}, Lists: map[string][]map[string]string{"Users": {
			{"EndUserId": "a"}, {"EndUserId": "c"}, {"EndUserId": "z"}}}},
		wantProblems: []Problem{{ProblemGap, "Users.2", "body"}},
	}, {
		reason:       "a repeated element field keeps the first",
		body:         []Pair{b("Users.1.EndUserId", "a"), b("Users.1.EndUserId", "b")},
		want:         Request{Op: "test", Params: map[string]string{}, Lists: map[string][]map[string]string{"Users": {{"EndUserId": "a"}}}, Raw: []Pair{b("Users.1.EndUserId", "b")}},
		wantProblems: []Problem{{ProblemRepeated, "Users.1.EndUserId", "body"}},
	}, {
		reason:       "a repeated Format keeps the first",
		query:        []Pair{q("Format", "JSON"), q("Format", "XML")},
		want:         Request{Op: "test", Params: map[string]string{}, Format: "JSON", Raw: []Pair{q("Format", "XML")}},
		wantProblems: []Problem{{ProblemRepeated, "Format", "query"}},
	}}
	for _, tt := range tests {
		got, problems := Decode(op, tt.query, tt.body)
		if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
			t.Errorf("%s: Decode request (-want +got):\n%s", tt.reason, diff)
		}
		if diff := cmp.Diff(tt.wantProblems, problems, equateEmpty); diff != "" {
			t.Errorf("%s: Decode problems (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestDecodeTooMany(t *testing.T) {
	pairs := make([]Pair, MaxPairs+5)
	for i := range pairs {
		pairs[i] = Pair{Key: "Users." + strconv.Itoa(i+1) + ".EndUserId", Value: "u", In: "body"}
	}
	r, problems := Decode(testOp(), nil, pairs)
	if got := len(r.Lists["Users"]); got != MaxPairs {
		t.Errorf("decoded %d elements, want the first %d", got, MaxPairs)
	}
	want := []Problem{{Kind: ProblemTooMany, Key: strconv.Itoa(MaxPairs + 5)}}
	if diff := cmp.Diff(want, problems); diff != "" {
		t.Errorf("problems (-want +got):\n%s", diff)
	}
}

func TestParsePairs(t *testing.T) {
	tests := []struct {
		reason       string
		raw          string
		want         []Pair
		wantProblems []Problem
	}{
		{"plain pairs in order", "b=2&a=1", []Pair{{"b", "2", "query"}, {"a", "1", "query"}}, nil},
		{"+ and %20 are spaces", "k=a+b%20c", []Pair{{"k", "a b c", "query"}}, nil},
		{"empty parts are skipped, a bare key is empty", "&&k&=v&", []Pair{{"k", "", "query"}, {"", "v", "query"}}, nil},
		{"broken escapes keep the text", "k=%zz&ok=1", []Pair{{"k", "%zz", "query"}, {"ok", "1", "query"}}, []Problem{{ProblemUndecodable, "k", "query"}}},
		{"only the first = splits", "k=a=b", []Pair{{"k", "a=b", "query"}}, nil},
	}
	for _, tt := range tests {
		got, problems := ParsePairs(tt.raw, "query")
		if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
			t.Errorf("%s: pairs (-want +got):\n%s", tt.reason, diff)
		}
		if diff := cmp.Diff(tt.wantProblems, problems, equateEmpty); diff != "" {
			t.Errorf("%s: problems (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestParsePairsBounded(t *testing.T) {
	pairs, problems := ParsePairs(strings.Repeat("k=v&", MaxPairs+10), "body")
	if len(pairs) != MaxPairs {
		t.Errorf("read %d pairs, want %d", len(pairs), MaxPairs)
	}
	if len(problems) != 1 || problems[0].Kind != ProblemTooMany {
		t.Errorf("problems = %v, want one %s", problems, ProblemTooMany)
	}
}

func TestDecodeHTTP(t *testing.T) {
	op := testOp()
	tests := []struct {
		reason       string
		query, body  string
		contentType  string
		want         Request
		wantProblems []Problem
	}{{
		reason:      "query and form body",
		query:       "Action=CreateThings&Name=a%20b",
		body:        "Users.1.EndUserId=u1&Password=p%2Aw",
		contentType: "application/x-www-form-urlencoded; charset=utf-8",
		want: Request{Op: "test", Params: map[string]string{"Name": "a b", "Password": "p*w"},
			Lists: map[string][]map[string]string{"Users": {{"EndUserId": "u1"}}}},
	}, {
		reason:       "a JSON body is not read as a form",
		query:        "Name=n",
		body:         `{"Password":"p"}`,
		contentType:  "application/json",
		want:         Request{Op: "test", Params: map[string]string{"Name": "n"}},
		wantProblems: []Problem{{ProblemNotForm, "application/json", "body"}},
	}, {
		reason:       "a body without a Content-Type is not read as a form",
		body:         "Password=p",
		want:         Request{Op: "test", Params: map[string]string{}},
		wantProblems: []Problem{{ProblemNotForm, "", "body"}},
	}}
	for _, tt := range tests {
		req := httptest.NewRequest(http.MethodPost, "/?"+tt.query, strings.NewReader(tt.body))
		if tt.contentType != "" {
			req.Header.Set("Content-Type", tt.contentType)
		}
		got, problems, err := DecodeHTTP(op, req)
		if err != nil {
			t.Fatalf("%s: DecodeHTTP: %v", tt.reason, err)
		}
		if diff := cmp.Diff(tt.want, got, equateEmpty); diff != "" {
			t.Errorf("%s: request (-want +got):\n%s", tt.reason, diff)
		}
		if diff := cmp.Diff(tt.wantProblems, problems, equateEmpty); diff != "" {
			t.Errorf("%s: problems (-want +got):\n%s", tt.reason, diff)
		}
		again, _ := io.ReadAll(req.Body)
		if string(again) != tt.body {
			t.Errorf("%s: body after DecodeHTTP = %q, want it readable again as %q", tt.reason, again, tt.body)
		}
	}
}

func TestDecodeHTTPBodyTooLarge(t *testing.T) {
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(strings.Repeat("a", MaxBody+1)))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if _, _, err := DecodeHTTP(testOp(), req); err == nil {
		t.Error("DecodeHTTP accepted a body larger than MaxBody")
	}
}

// genRequest draws a request that uses only the operation's names, with
// non-empty lists and elements and no Raw: one that can travel unchanged.
func genRequest(t *rapid.T, op *specsOp) Request {
	r := Request{Op: op.ID, Params: map[string]string{}}
	for _, p := range op.Params {
		if !rapid.Bool().Draw(t, "has "+p.Name) {
			continue
		}
		if p.Style != specs.StyleFlat {
			r.Params[p.Name] = rapid.String().Draw(t, p.Name)
			continue
		}
		if r.Lists == nil {
			r.Lists = map[string][]map[string]string{}
		}
		n := rapid.IntRange(1, 4).Draw(t, "len "+p.Name)
		for i := 0; i < n; i++ {
			fields := rapid.SliceOfNDistinct(rapid.SampledFrom(op.fields), 1, len(op.fields), rapid.ID[string]).Draw(t, "fields")
			el := map[string]string{}
			for _, f := range fields {
				el[f] = rapid.String().Draw(t, f)
			}
			r.Lists[p.Name] = append(r.Lists[p.Name], el)
		}
	}
	return r
}

func TestRoundTrip(t *testing.T) {
	op := newSpecsOp(testOp(), testFields)
	rapid.Check(t, func(t *rapid.T) {
		r := genRequest(t, op)
		e := Encode(op.Operation, r)
		got, problems := Decode(op.Operation, e.Query, e.Body)
		if diff := cmp.Diff(r, got, equateEmpty); diff != "" || len(problems) > 0 {
			t.Fatalf("Decode(Encode(r)) != r (-want +got):\n%s\nproblems: %v", diff, problems)
		}
		q, qp := ParsePairs(e.QueryString(), "query")
		b, bp := ParsePairs(e.BodyString(), "body")
		got, problems = Decode(op.Operation, q, b)
		problems = append(append(qp, bp...), problems...)
		if diff := cmp.Diff(r, got, equateEmpty); diff != "" || len(problems) > 0 {
			t.Fatalf("decoding the encoded strings != r (-want +got):\n%s\nproblems: %v", diff, problems)
		}
	})
}

// TestRoundTripSpecs runs the round trip over the embedded specs'
// operations, with the element fields they document.
func TestRoundTripSpecs(t *testing.T) {
	m, err := specs.Load()
	if err != nil {
		t.Fatalf("specs.Load: %v", err)
	}
	for _, op := range m.Operations {
		sop := newSpecsOp(op, elementFields(op))
		rapid.Check(t, func(t *rapid.T) {
			r := genRequest(t, sop)
			e := Encode(op, r)
			q, qp := ParsePairs(e.QueryString(), "query")
			b, bp := ParsePairs(e.BodyString(), "body")
			got, problems := Decode(op, q, b)
			problems = append(append(qp, bp...), problems...)
			if diff := cmp.Diff(r, got, equateEmpty); diff != "" || len(problems) > 0 {
				t.Fatalf("%s: decoding the encoded request != r (-want +got):\n%s\nproblems: %v", op.ID, diff, problems)
			}
		})
	}
}

// elementFields are the field names of op's flattened lists.
func elementFields(op *specs.Operation) []string {
	var names []string
	for _, p := range op.Params {
		if p.Style != specs.StyleFlat || p.Items == nil {
			continue
		}
		for _, f := range p.Items.Fields {
			names = append(names, f.Name)
		}
	}
	return names
}

func FuzzDecode(f *testing.F) {
	f.Add("Action=CreateThings&Name=a%20b&Format=JSON", "Users.1.EndUserId=u1&Users.3.Email=e&Password=p")
	f.Add("Users.0.X=1&Users.x.Y=2&Users.99999999999.Z=3&Format=a&Format=b", "Users=1&Users.1=2&%zz=%")
	f.Add("&&=&==&Name&Name=1", "Users.1.GroupIdList.1=g&Users.1.GroupIdList.1=h")
	op := testOp()
	f.Fuzz(func(t *testing.T, query, body string) {
		q, _ := ParsePairs(query, "query")
		b, _ := ParsePairs(body, "body")
		r, problems := Decode(op, q, b)
		for _, p := range problems {
			if !knownKinds[p.Kind] {
				t.Fatalf("problem of unknown kind %q", p.Kind)
			}
		}
		e := Encode(op, r)
		if got, want := len(e.Query)+len(e.Body), carriedPairs(append(q, b...)); got != want {
			t.Fatalf("Encode(Decode(x)) has %d pairs, want %d: every business pair lands in Params, Lists or Raw once", got, want)
		}
	})
}

var knownKinds = map[ProblemKind]bool{
	ProblemUnknown: true, ProblemRepeated: true, ProblemWrongPlace: true, ProblemNotFlat: true,
	ProblemBadKey: true, ProblemBadIndex: true, ProblemGap: true, ProblemUndecodable: true,
	ProblemTooMany: true, ProblemNotForm: true,
}

// carriedPairs counts the pairs a decoded request carries back to the wire:
// every non-common pair, and every Format after the first.
func carriedPairs(pairs []Pair) int {
	n, formats := 0, 0
	for _, p := range pairs {
		switch {
		case p.Key == "Format":
			formats++
		case !IsCommon(p.Key):
			n++
		}
	}
	if formats > 1 {
		n += formats - 1
	}
	return n
}
