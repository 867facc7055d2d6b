package fuzz

import (
	"fmt"
	"math/rand"
	"strings"
	"sync"

	"sigs.k8s.io/randfill"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// hugeValue is the length in bytes of a chaos value meant to be huge.
const hugeValue = 64 << 10

// mutation changes a valid request into a chaotic one and says how.
type mutation func(f *randfill.Filler, op *specs.Operation, r *wire.Request) string

// mutations are the chaos kinds, applied in turn.
var mutations = []mutation{
	unknownParam, wrongType, repeatedKey, brokenFlattening, hugeInput, randomParams,
}

// Chaos returns n chaos cases for op, deterministic in seed: valid
// requests with, in turn, unknown parameters, values of the wrong type,
// repeated keys, broken list flattening (Users.0.X, Users.x.X, Users.1),
// huge batches or values, and random parameter maps, the random parts
// filled by sigs.k8s.io/randfill. Each case's Base is the valid request it
// changes. It panics when the spec admits no valid request.
func Chaos(op *specs.Operation, seed int64, n int) []Case {
	cases := make([]Case, 0, n)
	for i := 0; i < n; i++ {
		cases = append(cases, ChaosCase(op, seed, i))
	}
	return cases
}

// ChaosCase is the i-th case of Chaos(op, seed, n), drawn alone: each
// case depends on (seed, i) only.
func ChaosCase(op *specs.Operation, seed int64, i int) Case {
	f := fillers.Get().(*filler)
	defer fillers.Put(f)
	f.seed(DrawSeed(seed, "chaos/fill", i))
	base := exampleOf(Valid(op), DrawSeed(seed, "chaos", i))
	r := base.Clone()
	label := mutations[i%len(mutations)](f.Filler, op, &r)
	return Case{Request: r, Base: base, Label: "chaos: " + label}
}

// filler is a chaos case's randfill.Filler with its random source, kept
// for the next case: reseeding the source gives the values of a source
// made afresh with that seed, without making one (a 607-word table) and
// a Filler per case.
type filler struct {
	*randfill.Filler
	src rand.Source
}

// fillers holds the fillers of cases drawn in turn or at once.
var fillers = sync.Pool{New: func() any {
	src := rand.NewSource(0)
	return &filler{Filler: randfill.NewWithSeed(0).RandSource(src).NilChance(0).NumElements(1, 4), src: src}
}}

// seed starts f over as randfill.NewWithSeed(seed) does.
func (f *filler) seed(seed int64) {
	f.src.Seed(seed)
	f.RandSource(f.src) // a new rand.Rand: no value read ahead is kept
}

// text fills a random string.
func text(f *randfill.Filler) string {
	var s string
	f.Fill(&s)
	return s
}

// pick fills a random index below n.
func pick(f *randfill.Filler, n int) int {
	var u uint32
	f.Fill(&u)
	return int(u % uint32(n))
}

// unknownParam adds a parameter the operation does not document.
func unknownParam(f *randfill.Filler, op *specs.Operation, r *wire.Request) string {
	key := "Unknown" + strings.Map(keepPrintable, text(f))
	r.Raw = append(r.Raw, wire.Pair{Key: key, Value: text(f), In: string(specs.InQuery)})
	return fmt.Sprintf("unknown parameter %q", key)
}

// keepPrintable drops control characters from keys (values keep them).
func keepPrintable(r rune) rune {
	if r < 0x20 || r == 0x7f {
		return -1
	}
	return r
}

// scalars are the operation's top-level scalar parameters.
func scalars(op *specs.Operation) []*specs.Param {
	var out []*specs.Param
	for _, p := range op.Params {
		if p.Style != specs.StyleFlat {
			out = append(out, p)
		}
	}
	return out
}

// wrongType sets a scalar parameter to random text, whatever its kind.
func wrongType(f *randfill.Filler, op *specs.Operation, r *wire.Request) string {
	ps := scalars(op)
	p := ps[pick(f, len(ps))]
	r.Params[p.Name] = text(f)
	return p.Name + " set to random text"
}

// repeatedKey sends a parameter of the request a second time.
func repeatedKey(f *randfill.Filler, op *specs.Operation, r *wire.Request) string {
	ps := scalars(op)
	p := ps[pick(f, len(ps))]
	r.Raw = append(r.Raw, wire.Pair{Key: p.Name, Value: text(f), In: string(p.In)})
	return p.Name + " sent twice"
}

// brokenKeys are flattened keys no list encoding produces, for a list
// named n with a field named x.
var brokenKeys = []string{"%s.0.%s", "%s.x.%s", "%s.-1.%s", "%s..%s", "%s.99999999999.%s", "%s.1.%s.extra", "%s.1"}

// brokenFlattening adds a list key no encoder writes; an operation
// without a list gets a dotted scalar key.
func brokenFlattening(f *randfill.Filler, op *specs.Operation, r *wire.Request) string {
	format := brokenKeys[pick(f, len(brokenKeys))]
	name, field, in := "", "", string(specs.InQuery)
	for _, p := range op.Params {
		if fs := fieldsOf(p); p.Style == specs.StyleFlat && len(fs) > 0 {
			name, field, in = p.Name, fs[pick(f, len(fs))].Name, string(p.In)
			break
		}
	}
	if name == "" {
		ps := scalars(op)
		name, field = ps[pick(f, len(ps))].Name, "1"
	}
	key := fmt.Sprintf(format, name, field)
	if strings.Count(format, "%s") == 1 {
		key = fmt.Sprintf(format, name)
	}
	r.Raw = append(r.Raw, wire.Pair{Key: key, Value: text(f), In: in})
	return fmt.Sprintf("broken flattening %q", key)
}

// hugeInput sends a batch far beyond the undocumented-size policy, or for
// an operation without a list a huge value.
func hugeInput(f *randfill.Filler, op *specs.Operation, r *wire.Request) string {
	for _, p := range op.Params {
		if p.Style == specs.StyleFlat && len(r.Lists[p.Name]) > 0 {
			n := 10 * oracle.UndocumentedBatch
			els := make([]map[string]string, n)
			for i := range els {
				els[i] = r.Lists[p.Name][i%len(r.Lists[p.Name])]
			}
			setList(r, p, els)
			var tag uint64
			f.Fill(&tag)
			*r = NewWideNames(tag).Apply(op, *r) // a tag per case: unique over millions of cases
			return fmt.Sprintf("%s with %d elements", p.Name, n)
		}
	}
	ps := scalars(op)
	p := ps[pick(f, len(ps))]
	r.Params[p.Name] = strings.Repeat("a", hugeValue)
	return fmt.Sprintf("%s of %d bytes", p.Name, hugeValue)
}

// randomParams adds a random map of parameters.
func randomParams(f *randfill.Filler, op *specs.Operation, r *wire.Request) string {
	var m map[string]string
	f.Fill(&m)
	for k, v := range m {
		r.Params[k] = v
	}
	return fmt.Sprintf("%d random parameters", len(m))
}
