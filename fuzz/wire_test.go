package fuzz

import (
	"maps"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// roundTrip encodes r, writes and parses its query and body text, and
// decodes the pairs again.
func roundTrip(op *specs.Operation, r wire.Request) (wire.Request, []wire.Problem) {
	e := wire.Encode(op, r)
	q, p1 := wire.ParsePairs(e.QueryString(), string(specs.InQuery))
	b, p2 := wire.ParsePairs(e.BodyString(), string(specs.InBody))
	got, p3 := wire.Decode(op, q, b)
	return got, append(append(p1, p2...), p3...)
}

// sameRequest compares requests, nil and empty maps alike.
func sameRequest(a, b wire.Request) bool {
	if a.Op != b.Op || a.Format != b.Format || len(a.Raw) != len(b.Raw) || !maps.Equal(a.Params, b.Params) || len(a.Lists) != len(b.Lists) {
		return false
	}
	for k, la := range a.Lists {
		if !slices.EqualFunc(la, b.Lists[k], maps.Equal) {
			return false
		}
	}
	return slices.Equal(a.Raw, b.Raw)
}

// decodable reports whether r is in Decode's identity domain: no Raw pairs,
// no empty list and no empty element.
func decodable(r wire.Request) bool {
	for _, l := range r.Lists {
		if len(l) == 0 {
			return false
		}
		for _, el := range l {
			if len(el) == 0 {
				return false
			}
		}
	}
	return len(r.Raw) == 0
}

func TestEncodeDecodeIdentity(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		gen := rapid.OneOf(Valid(op), rapid.Map(Invalid(op), func(c Case) wire.Request { return c.Request }))
		t.Run(op.ID, rapid.MakeCheck(func(t *rapid.T) {
			r := gen.Draw(t, "request")
			if !decodable(r) {
				t.Fatalf("a generated request outside Decode's identity domain: %+v", r)
			}
			got, problems := roundTrip(op, r)
			if len(problems) > 0 || !sameRequest(got, r) {
				t.Fatalf("round trip changed the request (problems %v):\n sent %+v\n  got %+v", problems, r, got)
			}
		}))
	}
}

// FuzzEncode checks the encode/decode identity on generated requests, the
// fuzzer steering the generators' choices.
func FuzzEncode(f *testing.F) {
	m, err := specs.Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte{})
	f.Add([]byte("seed corpus: a few bytes of choices"))
	f.Fuzz(rapid.MakeFuzz(func(t *rapid.T) {
		op := rapid.SampledFrom(m.Operations).Draw(t, "op")
		r := Valid(op).Draw(t, "request")
		got, problems := roundTrip(op, r)
		if len(problems) > 0 || !sameRequest(got, r) {
			t.Fatalf("round trip changed the request (problems %v):\n sent %+v\n  got %+v", problems, r, got)
		}
	}))
}
