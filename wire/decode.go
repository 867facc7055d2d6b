package wire

import (
	"bytes"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/specs"
)

// Bounds on the work of decoding, whatever the input.
const (
	// MaxPairs is how many pairs Decode and ParsePairs look at; the rest
	// are dropped with a ProblemTooMany.
	MaxPairs = 10000
	// MaxBody is the largest request body DecodeHTTP reads.
	MaxBody = 1 << 20
	// maxIndexDigits bounds a list index (1..999999999).
	maxIndexDigits = 9
)

// ProblemKind classifies what Decode could not read as the spec describes.
type ProblemKind string

// Problem kinds.
const (
	ProblemUnknown     ProblemKind = "unknown"     // a name the operation does not document
	ProblemRepeated    ProblemKind = "repeated"    // a key sent more than once (the first is kept)
	ProblemWrongPlace  ProblemKind = "wrong-place" // a parameter in the query that belongs in the body, or the reverse
	ProblemNotFlat     ProblemKind = "not-flat"    // a list parameter sent as one plain value
	ProblemBadKey      ProblemKind = "bad-key"     // a flattened key without index or field ("Users.1")
	ProblemBadIndex    ProblemKind = "bad-index"   // a list index that is not 1, 2, 3... ("Users.0.X", "Users.x.X")
	ProblemGap         ProblemKind = "gap"         // list indexes with a hole (Users.1, Users.3); Key names the first missing one
	ProblemUndecodable ProblemKind = "undecodable" // broken percent-encoding; the text is kept as sent
	ProblemTooMany     ProblemKind = "too-many"    // more than MaxPairs pairs; the rest were ignored
	ProblemNotForm     ProblemKind = "not-form"    // a body that is not application/x-www-form-urlencoded; Key is its Content-Type
)

// Problem is one thing Decode found that the spec does not describe.
type Problem struct {
	Kind ProblemKind
	// Key is the wire key concerned (or what Kind says).
	Key string
	// In is where it was found, "query" or "body".
	In string
}

// String reads like "repeated key UserName in query".
func (p Problem) String() string {
	return fmt.Sprintf("%s key %s in %s", p.Kind, p.Key, p.In)
}

// commonParams are the RPC common parameters (PROTOCOL.md), which are not
// business parameters of any operation.
var commonParams = map[string]bool{
	"Action": true, "Version": true, "Format": true, "AccessKeyId": true,
	"Signature": true, "SignatureMethod": true, "SignatureVersion": true,
	"SignatureNonce": true, "SignatureType": true, "Timestamp": true,
	"SecurityToken": true, "BearerToken": true,
}

// IsCommon reports whether key is an RPC common parameter (Action, Version,
// Format, AccessKeyId, Signature*, Timestamp, ...), not a business parameter.
func IsCommon(key string) bool { return commonParams[key] }

// Decode is the inverse of Encode: it reads the business parameters of op
// from the query and body pairs. Anything it cannot place as the spec
// describes (unknown names, repeated keys, broken flattening) is kept in
// Raw and named by a Problem; list indexes with holes are compacted in
// index order. Common parameters are dropped, except Format, which sets
// Request.Format. It never panics and looks at no more than MaxPairs pairs.
// For a request whose Params and Lists use only op's names, with non-empty
// lists and elements and no Raw, Decode(Encode(r)) equals r.
func Decode(op *specs.Operation, query, body []Pair) (Request, []Problem) {
	d := decoder{op: op, r: Request{Params: map[string]string{}}}
	if op != nil {
		d.r.Op = op.ID
	}
	all := append(append([]Pair(nil), query...), body...)
	if len(all) > MaxPairs {
		d.problem(ProblemTooMany, strconv.Itoa(len(all)), "")
		all = all[:MaxPairs]
	}
	for _, p := range all {
		d.pair(p)
	}
	d.finishLists()
	return d.r, d.problems
}

type decoder struct {
	op       *specs.Operation
	r        Request
	problems []Problem
	format   bool
	lists    map[string]map[int]map[string]string
}

func (d *decoder) problem(kind ProblemKind, key, in string) {
	d.problems = append(d.problems, Problem{Kind: kind, Key: key, In: in})
}

// raw keeps p as sent and records why.
func (d *decoder) raw(p Pair, kind ProblemKind) {
	d.r.Raw = append(d.r.Raw, p)
	d.problem(kind, p.Key, p.In)
}

func (d *decoder) pair(p Pair) {
	if IsCommon(p.Key) {
		d.common(p)
		return
	}
	name, rest, flat := strings.Cut(p.Key, ".")
	var param *specs.Param
	if d.op != nil {
		param, _ = d.op.Param(name)
	}
	switch {
	case param == nil || (flat && param.Style != specs.StyleFlat):
		d.raw(p, ProblemUnknown)
	case !flat && param.Style == specs.StyleFlat:
		d.raw(p, ProblemNotFlat)
	case flat:
		d.element(param, rest, p)
	default:
		d.scalar(param, p)
	}
}

func (d *decoder) common(p Pair) {
	if p.Key != "Format" {
		return
	}
	if d.format {
		d.raw(p, ProblemRepeated)
		return
	}
	d.format = true
	d.r.Format = p.Value
}

func (d *decoder) checkPlace(param *specs.Param, p Pair) {
	want := string(param.In)
	if want == "" {
		want = string(specs.InQuery)
	}
	if p.In != want {
		d.problem(ProblemWrongPlace, p.Key, p.In)
	}
}

func (d *decoder) scalar(param *specs.Param, p Pair) {
	if _, dup := d.r.Params[p.Key]; dup {
		d.raw(p, ProblemRepeated)
		return
	}
	d.checkPlace(param, p)
	d.r.Params[p.Key] = p.Value
}

// element reads Name.N.Field (Field may itself hold dots: GroupIdList.1).
func (d *decoder) element(param *specs.Param, rest string, p Pair) {
	idxText, field, ok := strings.Cut(rest, ".")
	if !ok || field == "" {
		d.raw(p, ProblemBadKey)
		return
	}
	idx, ok := parseIndex(idxText)
	if !ok {
		d.raw(p, ProblemBadIndex)
		return
	}
	if d.lists == nil {
		d.lists = map[string]map[int]map[string]string{}
	}
	els := d.lists[param.Name]
	if els == nil {
		els = map[int]map[string]string{}
		d.lists[param.Name] = els
	}
	el := els[idx]
	if el == nil {
		el = map[string]string{}
		els[idx] = el
	}
	if _, dup := el[field]; dup {
		d.raw(p, ProblemRepeated)
		return
	}
	d.checkPlace(param, p)
	el[field] = p.Value
}

// parseIndex reads a 1-based list index written as plain decimal digits
// without a leading zero.
func parseIndex(s string) (int, bool) {
	if s == "" || len(s) > maxIndexDigits || s[0] == '0' {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// finishLists turns the indexed elements into lists in index order,
// naming the first hole of each list.
func (d *decoder) finishLists() {
	for _, name := range sortedIndexNames(d.lists) {
		els := d.lists[name]
		idxs := make([]int, 0, len(els))
		for i := range els {
			idxs = append(idxs, i)
		}
		sort.Ints(idxs)
		list := make([]map[string]string, len(idxs))
		gap := false
		for i, idx := range idxs {
			if idx != i+1 && !gap {
				gap = true
				d.problem(ProblemGap, name+"."+strconv.Itoa(i+1), location(d.op, name))
			}
			list[i] = els[idx]
		}
		if d.r.Lists == nil {
			d.r.Lists = map[string][]map[string]string{}
		}
		d.r.Lists[name] = list
	}
}

func sortedIndexNames(m map[string]map[int]map[string]string) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// ParsePairs splits a query string or form body into pairs in the order
// sent, tagged with in. It is tolerant: '+' is a space, a key without '='
// has an empty value, broken percent-encoding keeps the text as sent with a
// ProblemUndecodable, and only the first MaxPairs pairs are read.
func ParsePairs(raw, in string) ([]Pair, []Problem) {
	var pairs []Pair
	var problems []Problem
	for raw != "" {
		var part string
		part, raw, _ = strings.Cut(raw, "&")
		if part == "" {
			continue
		}
		if len(pairs) == MaxPairs {
			problems = append(problems, Problem{Kind: ProblemTooMany, Key: strconv.Itoa(MaxPairs), In: in})
			break
		}
		k, v, _ := strings.Cut(part, "=")
		key, kerr := url.QueryUnescape(k)
		value, verr := url.QueryUnescape(v)
		if kerr != nil || verr != nil {
			key, value = k, v
			problems = append(problems, Problem{Kind: ProblemUndecodable, Key: k, In: in})
		}
		pairs = append(pairs, Pair{Key: key, Value: value, In: in})
	}
	return pairs, problems
}

// DecodeHTTP decodes an incoming request: the URL query, and the body when
// it is a form. It reads at most MaxBody bytes of body and leaves req.Body
// readable again (with the same bytes) for a signature check. The error is
// for a body that cannot be read or is larger than MaxBody; everything else
// wrong with the request is a Problem.
func DecodeHTTP(op *specs.Operation, req *http.Request) (Request, []Problem, error) {
	query, problems := ParsePairs(req.URL.RawQuery, string(specs.InQuery))
	body, err := readBody(req)
	if err != nil {
		return Request{}, nil, err
	}
	var form []Pair
	if len(body) > 0 {
		ct := req.Header.Get("Content-Type")
		if mt, _, _ := mime.ParseMediaType(ct); mt == "application/x-www-form-urlencoded" {
			var more []Problem
			form, more = ParsePairs(string(body), string(specs.InBody))
			problems = append(problems, more...)
		} else {
			problems = append(problems, Problem{Kind: ProblemNotForm, Key: ct, In: string(specs.InBody)})
		}
	}
	r, more := Decode(op, query, form)
	return r, append(problems, more...), nil
}

// readBody reads req.Body (at most MaxBody bytes) and puts the bytes back.
func readBody(req *http.Request) ([]byte, error) {
	if req.Body == nil || req.Body == http.NoBody {
		return nil, nil
	}
	body, err := io.ReadAll(io.LimitReader(req.Body, MaxBody+1))
	req.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("wire: reading request body: %w", err)
	}
	if len(body) > MaxBody {
		return nil, fmt.Errorf("wire: request body larger than %d bytes", MaxBody)
	}
	req.Body = io.NopCloser(bytes.NewReader(body))
	return body, nil
}
