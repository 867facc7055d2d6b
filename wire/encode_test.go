package wire

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"pgregory.net/rapid"
)

func TestEncode(t *testing.T) {
	op := testOp()
	q := func(k, v string) Pair { return Pair{Key: k, Value: v, In: "query"} }
	b := func(k, v string) Pair { return Pair{Key: k, Value: v, In: "body"} }
	tests := []struct {
		reason string
		req    Request
		want   Encoded
	}{{
		reason: "known parameters go where the spec puts them, in document order",
		req:    Request{Params: map[string]string{"AutoLockTime": "2023-03-03", "Password": "pw", "Name": "a"}},
		want:   Encoded{Query: []Pair{q("Name", "a"), q("AutoLockTime", "2023-03-03")}, Body: []Pair{b("Password", "pw")}},
	}, {
		reason: "an empty value is sent empty, an absent one not at all",
		req:    Request{Params: map[string]string{"Name": ""}},
		want:   Encoded{Query: []Pair{q("Name", "")}},
	}, {
		reason: "lists are flattened 1-based with fields sorted, nested lists as given",
		req: Request{Lists: map[string][]map[string]string{"Users": {
			{"EndUserId": "u1", "Email": "e@x"},
			{"GroupIdList.1": "g1", "EndUserId": "u2"},
		}}},
		want: Encoded{Body: []Pair{
			b("Users.1.Email", "e@x"), b("Users.1.EndUserId", "u1"),
			b("Users.2.EndUserId", "u2"), b("Users.2.GroupIdList.1", "g1"),
		}},
	}, {
		reason: "names the spec does not know go to the query after the known ones, sorted",
		req:    Request{Params: map[string]string{"Zeta": "z", "Alpha": "a", "Name": "n"}},
		want:   Encoded{Query: []Pair{q("Name", "n"), q("Alpha", "a"), q("Zeta", "z")}},
	}, {
		reason: "raw pairs are appended verbatim in their place, the query when none is named",
		req: Request{Params: map[string]string{"Name": "n"}, Raw: []Pair{
			{Key: "Name", Value: "again"}, {Key: "Users.0.EndUserId", Value: "x", In: "body"},
		}},
		want: Encoded{Query: []Pair{q("Name", "n"), q("Name", "again")}, Body: []Pair{b("Users.0.EndUserId", "x")}},
	}, {
		reason: "Format is left to the runner",
		req:    Request{Params: map[string]string{"Name": "n"}, Format: "XML"},
		want:   Encoded{Query: []Pair{q("Name", "n")}},
	}}
	for _, tt := range tests {
		got := Encode(op, tt.req)
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%s: Encode (-want +got):\n%s", tt.reason, diff)
		}
	}
}

func TestEncodeNilOperation(t *testing.T) {
	got := Encode(nil, Request{Params: map[string]string{"B": "2", "A": "1"}, Lists: map[string][]map[string]string{"L": {{"F": "v"}}}})
	want := Encoded{Query: []Pair{{Key: "A", Value: "1", In: "query"}, {Key: "B", Value: "2", In: "query"}, {Key: "L.1.F", Value: "v", In: "query"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Encode(nil op) puts everything in the query, sorted (-want +got):\n%s", diff)
	}
}

func TestPercentEncode(t *testing.T) {
	tests := []struct {
		reason, in, want string
	}{
		{"unreserved characters stay", "AZaz09-_.~", "AZaz09-_.~"},
		{"a space is %20, never +", "a b", "a%20b"},
		{"* is encoded, unlike Go's PathEscape", "a*b", "a%2Ab"},
		{"separators are encoded", "a=b&c+d/e", "a%3Db%26c%2Bd%2Fe"},
		{"UTF-8 bytes are encoded one by one, upper-case hex", "é中", "%C3%A9%E4%B8%AD"},
		{"a JSON array string", `["sms"]`, "%5B%22sms%22%5D"},
		{"empty stays empty", "", ""},
	}
	for _, tt := range tests {
		if got := PercentEncode(tt.in); got != tt.want {
			t.Errorf("%s: PercentEncode(%q) = %q, want %q", tt.reason, tt.in, got, tt.want)
		}
	}
}

func TestQueryAndBodyString(t *testing.T) {
	e := Encode(testOp(), Request{
		Params: map[string]string{"Name": "a b", "Methods": `["sms"]`, "Password": "p*w"},
		Lists:  map[string][]map[string]string{"Users": {{"EndUserId": "u~1"}}},
	})
	if got, want := e.QueryString(), "Name=a%20b&Methods=%5B%22sms%22%5D"; got != want {
		t.Errorf("QueryString() = %q, want %q", got, want)
	}
	if got, want := e.BodyString(), "Users.1.EndUserId=u~1&Password=p%2Aw"; got != want {
		t.Errorf("BodyString() = %q, want %q", got, want)
	}
}

// WriteEncoded writes what JoinPairs writes of Encode's pairs, after what
// the builders hold, for any request: known and unknown names, lists of
// more than nine elements (two-digit indexes), raw pairs in either place,
// values and names that need encoding, and a nil operation.
func TestWriteEncodedJoinsEncode(t *testing.T) {
	text := rapid.StringOf(rapid.SampledFrom([]rune("aZ09-._~ +*%&=é/")))
	name := rapid.SampledFrom([]string{"Name", "Users", "Password", "AutoLockTime", "Methods", "Zeta", "a b", "Users.1.X", ""})
	field := rapid.SampledFrom(append([]string{"Odd&Field", ""}, testFields...))
	place := rapid.SampledFrom([]string{"", "query", "body"})
	rapid.Check(t, func(t *rapid.T) {
		r := Request{
			Params: rapid.MapOf(name, text).Draw(t, "params"),
			Lists:  rapid.MapOf(name, rapid.SliceOfN(rapid.MapOf(field, text), 0, 12)).Draw(t, "lists"),
			Raw: rapid.SliceOf(rapid.Custom(func(t *rapid.T) Pair {
				return Pair{Key: name.Draw(t, "key"), Value: text.Draw(t, "value"), In: place.Draw(t, "in")}
			})).Draw(t, "raw"),
		}
		op := testOp()
		if rapid.Bool().Draw(t, "nil op") {
			op = nil
		}
		var common []Pair // what the runner writes first
		if rapid.Bool().Draw(t, "common") {
			common = []Pair{{Key: "Action", Value: "A"}}
		}
		var query, body strings.Builder
		query.WriteString(JoinPairs(common))
		WriteEncoded(&query, &body, op, r)
		e := Encode(op, r)
		wantQuery := JoinPairs(append(common, e.Query...))
		if query.String() != wantQuery || body.String() != JoinPairs(e.Body) {
			t.Fatalf("query %q\nwant  %q\nbody %q\nwant %q", query.String(), wantQuery, body.String(), JoinPairs(e.Body))
		}
	})
}

// TestEncodeUnknownNamesOnce: names the operation does not know follow its
// own, sorted, each once even when used as a parameter and a list.
func TestEncodeUnknownNamesOnce(t *testing.T) {
	got := Encode(testOp(), Request{
		Params: map[string]string{"Zeta": "1", "Alpha": "2", "Name": "n"},
		Lists:  map[string][]map[string]string{"Zeta": {{"F": "z"}}, "Beta": {{"F": "b"}}},
	}).QueryString()
	if want := "Name=n&Alpha=2&Beta.1.F=b&Zeta=1&Zeta.1.F=z"; got != want {
		t.Errorf("QueryString() = %q, want %q", got, want)
	}
}
