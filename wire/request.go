// Package wire is the request representation shared by the generators, the
// oracle and the runner, and its encoding to and decoding from the RPC wire
// form (query or form body, Users.N.Field flattening, JSON-array strings) as
// the specs describe it.
package wire

import "maps"

// Pair is one key=value as it travels, in a given place.
type Pair struct {
	Key, Value string
	// In is "query" or "body" (specs.InQuery / specs.InBody).
	In string
}

// Request is one business request to an operation, before signing. Values
// are in wire text form (integers as decimal text, booleans "true"/"false",
// JSON-array parameters as their JSON text). A parameter absent from the maps
// is not sent; one present with "" is sent empty.
type Request struct {
	// Op is the operation ID ("ram", "eds-user", "bastionhost").
	Op string
	// Params holds top-level scalar parameters by wire name.
	Params map[string]string
	// Lists holds array-of-object parameters by wire name (eds-user Users):
	// each element maps field name to value; nested lists are written by
	// the generator as already-flattened field names ("GroupIdList.1").
	Lists map[string][]map[string]string
	// Raw are extra pairs appended verbatim after the encoded ones: unknown
	// parameters, repeated keys, broken flattening. Chaos inputs use them.
	Raw []Pair
	// Format is the requested response format, "JSON" (default when "") or "XML".
	Format string
}

// Clone returns a deep copy, so a generator can derive a variant safely.
func (r Request) Clone() Request {
	c := r
	c.Params = cloneFields(r.Params)
	if r.Lists != nil {
		c.Lists = make(map[string][]map[string]string, len(r.Lists))
		for k, list := range r.Lists {
			cl := make([]map[string]string, len(list))
			for i, el := range list {
				cl[i] = cloneFields(el)
			}
			c.Lists[k] = cl
		}
	}
	c.Raw = append([]Pair(nil), r.Raw...)
	return c
}

// cloneFields copies a map of parameters or element fields (nil: an empty
// one, which callers may fill).
func cloneFields(m map[string]string) map[string]string {
	if m == nil {
		return map[string]string{}
	}
	return maps.Clone(m)
}
