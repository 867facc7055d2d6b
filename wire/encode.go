package wire

import (
	"cmp"
	"slices"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/specs"
)

// Encoded is a request as it travels: the pairs of the URL query and of the
// form body, each in a deterministic order.
type Encoded struct {
	Query, Body []Pair
}

// QueryString is the query pairs joined as k=v&k=v, each key and value
// percent-encoded as the SDK encodes them (see PercentEncode).
func (e Encoded) QueryString() string { return JoinPairs(e.Query) }

// BodyString is the body pairs as an application/x-www-form-urlencoded
// document, encoded like QueryString.
func (e Encoded) BodyString() string { return JoinPairs(e.Body) }

// JoinPairs writes pairs as k=v&k=v with keys and values percent-encoded,
// in the order given.
func JoinPairs(pairs []Pair) string {
	size := 0
	for _, p := range pairs {
		size += encodedLen(p.Key) + encodedLen(p.Value) + 2
	}
	var b strings.Builder
	b.Grow(size)
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		writePercent(&b, p.Key)
		b.WriteByte('=')
		writePercent(&b, p.Value)
	}
	return b.String()
}

// PercentEncode encodes s per RFC 3986 as the Alibaba Cloud SDK does for
// signing: every byte but A-Z a-z 0-9 - _ . ~ becomes %XX (upper-case hex),
// so a space is %20 and * is %2A.
func PercentEncode(s string) string {
	n := encodedLen(s)
	if n == len(s) {
		return s
	}
	var b strings.Builder
	b.Grow(n)
	writePercent(&b, s)
	return b.String()
}

// IsPercentEncoded reports whether s is written as PercentEncode writes
// some text: every byte unreserved or in an upper-case %XX escape of a
// byte PercentEncode escapes. Decoding such an s and encoding it again
// gives s back.
func IsPercentEncoded(s string) bool {
	for i := 0; i < len(s); i++ {
		if unreservedByte[s[i]] {
			continue
		}
		if s[i] != '%' || i+2 >= len(s) {
			return false
		}
		hi, lo := upperHex(s[i+1]), upperHex(s[i+2])
		if hi < 0 || lo < 0 || unreservedByte[hi<<4|lo] {
			return false
		}
		i += 2
	}
	return true
}

// upperHex is the value of an upper-case hex digit, -1 for another byte.
func upperHex(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// encodedLen is the length of PercentEncode(s).
func encodedLen(s string) int {
	n := len(s)
	for i := 0; i < len(s); i++ {
		if !unreservedByte[s[i]] {
			n += 2
		}
	}
	return n
}

// writePercent writes PercentEncode(s) to b, unreserved runs at once. It
// is AppendPercentEncoded for a strings.Builder, kept a twin of it on
// purpose: written through shared helpers, Encode measured 30 % slower.
func writePercent(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreservedByte[c] {
			continue
		}
		b.WriteString(s[start:i])
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
		start = i + 1
	}
	b.WriteString(s[start:])
}

// AppendPercentEncoded appends PercentEncode(s) to dst.
func AppendPercentEncoded(dst []byte, s string) []byte {
	const hex = "0123456789ABCDEF"
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreservedByte[c] {
			continue
		}
		dst = append(append(dst, s[start:i]...), '%', hex[c>>4], hex[c&15])
		start = i + 1
	}
	return append(dst, s[start:]...)
}

// unreservedByte is unreserved as a table.
var unreservedByte = func() (t [256]bool) {
	for c := 0; c < 256; c++ {
		t[c] = unreserved(byte(c))
	}
	return t
}()

func unreserved(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '-' || c == '_' || c == '.' || c == '~'
}

// Encode writes r's business parameters where the operation's spec says
// they travel: each top-level parameter in its Param.In (a name the spec
// does not know goes to the query), StyleFlat lists flattened 1-based with
// each element's fields in sorted order (Users.1.Email, Users.1.EndUserId,
// Users.2...), then r.Raw verbatim in its In ("" is the query). Known
// parameters come in document order, unknown ones after them sorted by name.
// Format and the common parameters are not written: the runner adds them.
// op may be nil, and then everything goes to the query.
func Encode(op *specs.Operation, r Request) Encoded {
	e := presized(op, r)
	var key []byte // the flattened key being written
	eachPair(op, r, func(in, name string, index int, field, value string) {
		if index == 0 {
			e.add(in, name, value)
			return
		}
		key = append(strconv.AppendInt(append(append(key[:0], name...), '.'), int64(index), 10), '.')
		e.add(in, string(append(key, field...)), value)
	})
	return e
}

// WriteEncoded writes what Encode(op, r) encodes as it travels, without
// building its pairs: the query pairs to query and the body pairs to body,
// each joined as JoinPairs joins them, after what the builder already
// holds (with an '&' between when it holds something).
func WriteEncoded(query, body *strings.Builder, op *specs.Operation, r Request) {
	q, b := sizesOf(op, r)
	query.Grow(q.bytes + q.bytes/4)
	body.Grow(b.bytes + b.bytes/4)
	var digits [20]byte
	eachPair(op, r, func(in, name string, index int, field, value string) {
		b := query
		if in == string(specs.InBody) {
			b = body
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		writePercent(b, name)
		if index > 0 { // name.index.field: '.' and digits need no encoding
			b.WriteByte('.')
			b.Write(strconv.AppendInt(digits[:0], int64(index), 10))
			b.WriteByte('.')
			writePercent(b, field)
		}
		b.WriteByte('=')
		writePercent(b, value)
	})
}

// travelSize is how much of a request goes to one place (query or body):
// its pairs, and their bytes before percent-encoding (each list index
// counted as 3 digits).
type travelSize struct{ pairs, bytes int }

// sizesOf measures r's query and body, each parameter where it travels.
func sizesOf(op *specs.Operation, r Request) (query, body travelSize) {
	count := func(in string, pairs, bytes int) {
		to := &query
		if in == string(specs.InBody) {
			to = &body
		}
		to.pairs += pairs
		to.bytes += bytes
	}
	for name, v := range r.Params {
		count(location(op, name), 1, len(name)+len(v)+2)
	}
	for name, list := range r.Lists {
		pairs, bytes := 0, 0
		for _, el := range list {
			pairs += len(el)
			for f, v := range el {
				bytes += len(name) + len(f) + len(v) + 7
			}
		}
		count(location(op, name), pairs, bytes)
	}
	for _, p := range r.Raw {
		count(p.In, 1, len(p.Key)+len(p.Value)+2)
	}
	return query, body
}

// eachPair calls emit with each pair Encode encodes, in its order and
// place (in): a top-level parameter or raw pair with its name as the key
// and index 0, a list element's field with the flattened key
// name.index.field (index 1-based).
func eachPair(op *specs.Operation, r Request, emit func(in, name string, index int, field, value string)) {
	fields := make([]string, 0, 16) // an element's field names, sorted (on the stack while they fit)
	for _, name := range paramOrder(op, r) {
		in := location(op, name)
		if v, ok := r.Params[name]; ok {
			emit(in, name, 0, "", v)
		}
		for i, el := range r.Lists[name] {
			fields = sortedFields(fields[:0], el)
			for _, f := range fields {
				emit(in, name, i+1, f, el[f])
			}
		}
	}
	for _, p := range r.Raw {
		emit(p.In, p.Key, 0, "", p.Value)
	}
}

// sortedFields appends el's field names to dst, sorted.
func sortedFields(dst []string, el map[string]string) []string {
	for f := range el {
		dst = append(dst, f)
	}
	slices.Sort(dst)
	return dst
}

// presized is an empty Encoded with room for r's pairs where they go
// (nil where none go, as appending would leave it).
func presized(op *specs.Operation, r Request) Encoded {
	query, body := sizesOf(op, r)
	var e Encoded
	if query.pairs > 0 {
		e.Query = make([]Pair, 0, query.pairs)
	}
	if body.pairs > 0 {
		e.Body = make([]Pair, 0, body.pairs)
	}
	return e
}

func (e *Encoded) add(in, key, value string) {
	p := Pair{Key: key, Value: value, In: string(specs.InQuery)}
	if in == string(specs.InBody) {
		p.In = in
		e.Body = append(e.Body, p)
		return
	}
	e.Query = append(e.Query, p)
}

// paramOrder is every name used in r.Params or r.Lists: the operation's
// parameters in document order, then unknown names sorted.
func paramOrder(op *specs.Operation, r Request) []string {
	var names []string
	if op != nil {
		names = make([]string, 0, len(op.Params)+len(r.Params)+len(r.Lists))
		for _, p := range op.Params {
			names = append(names, p.Name)
		}
	}
	known := len(names)
	for k := range r.Params {
		names = appendUnknown(names, op, k)
	}
	for k := range r.Lists {
		names = appendUnknown(names, op, k)
	}
	extra := names[known:]
	slices.Sort(extra)
	return append(names[:known], slices.Compact(extra)...)
}

// appendUnknown appends name to names unless op has a parameter of that
// name.
func appendUnknown(names []string, op *specs.Operation, name string) []string {
	if op != nil {
		if _, ok := op.Param(name); ok {
			return names
		}
	}
	return append(names, name)
}

// location is where the parameter named name travels: its Param.In, or the
// query for a name the spec does not know.
func location(op *specs.Operation, name string) string {
	if op != nil {
		if p, ok := op.Param(name); ok && p.In == specs.InBody {
			return string(specs.InBody)
		}
	}
	return string(specs.InQuery)
}

// ComparePercentEncoded compares the texts two IsPercentEncoded strings
// decode to, byte by byte, as strings.Compare would compare them decoded,
// without decoding them.
func ComparePercentEncoded(a, b string) int {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		var ca, cb byte
		ca, i = decodedByte(a, i)
		cb, j = decodedByte(b, j)
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
	}
	return cmp.Compare(len(a)-i, len(b)-j)
}

// decodedByte is the byte an IsPercentEncoded s decodes to at i (a byte or
// an escape) and the index after it.
func decodedByte(s string, i int) (byte, int) {
	if s[i] != '%' {
		return s[i], i + 1
	}
	return byte(upperHex(s[i+1])<<4 | upperHex(s[i+2])), i + 3
}
