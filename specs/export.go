package specs

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// ExportOptions tunes Export. Its zero value is the default.
type ExportOptions struct {
	// UnboundedItems is how many elements of a flat list (x-acs-style:
	// flat) are spelled out when its spec sets no maxItems; 0 means
	// DefaultUnboundedItems. A list with maxItems is spelled out up to it.
	UnboundedItems int
}

// DefaultUnboundedItems is ExportOptions.UnboundedItems's default. It is
// no documented limit (the seeds give none where it applies): it only says
// how many elements an exported document describes.
const DefaultUnboundedItems = 10

// ExportFile is the file name Export's document for op is written under.
func ExportFile(op *Operation) string { return op.ID + ".openapi.json" }

// Export returns op as a plain OpenAPI 3.0.3 document (JSON) that standard
// tools read as is, with no x-acs extension needed:
//
//   - the gateway's common parameters are declared: Action and Version
//     (enums of op's), Format (JSON or XML, any case, as the responses
//     have them), and the V1 signature query parameters and V3 headers, all
//     optional (a V3 request carries Action and Version in headers);
//   - a flat list (Users.N.Field) is spelled out as Users.1.EndUserId, …,
//     up to its maxItems (or opts.UnboundedItems); the first element's
//     required fields are required when the list is;
//   - a JSON-array string (TwoFactorMethods=["sms"]) is a string whose
//     pattern admits a JSON array of the item's enum values, at most
//     maxItems of them;
//   - a case-insensitive enum (an ambiguity of the seed) is a pattern that
//     admits every value in any case; a string format with a pattern in the
//     model (email, date) is that pattern, the broadest documented reading;
//   - every pattern is ECMA-262 and ASCII: Go's \x{HHHH} and literal
//     non-ASCII characters are written \uHHHH (see ECMAPattern);
//   - security schemes for the V3 Authorization header and the V1
//     Signature query parameter;
//   - the responses and components of op's document, with every x-acs-*
//     extension removed.
//
// Everything is read from op: change a limit in a YAML file and the export
// changes with it.
func Export(op *Operation, opts ExportOptions) ([]byte, error) {
	if op == nil || op.Doc == nil {
		return nil, fmt.Errorf("specs: export: no operation document")
	}
	if opts.UnboundedItems <= 0 {
		opts.UnboundedItems = DefaultUnboundedItems
	}
	raw, err := json.Marshal(op.Doc)
	if err != nil {
		return nil, fmt.Errorf("specs: export %s: %w", op.ID, err)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		return nil, fmt.Errorf("specs: export %s: %w", op.ID, err)
	}
	doc = plain(doc).(map[string]any)
	x := exporter{op: op, opts: opts}
	post, err := x.operation(doc)
	if err != nil {
		return nil, fmt.Errorf("specs: export %s: %w", op.ID, err)
	}
	doc["openapi"] = "3.0.3"
	doc["paths"] = map[string]any{"/": map[string]any{"post": post}}
	components, _ := doc["components"].(map[string]any)
	if components == nil {
		components = map[string]any{}
	}
	components["securitySchemes"] = securitySchemes()
	doc["components"] = components
	doc["security"] = []any{map[string]any{"acs3": []any{}}, map[string]any{"acs1": []any{}}}
	if info, ok := doc["info"].(map[string]any); ok {
		desc, _ := info["description"].(string)
		info["description"] = strings.TrimSpace(desc + "\n\nExported by 'acsconform specs --export' from specs/" +
			op.ID + ".yaml (" + op.Action + " " + op.Version + "): a plain OpenAPI 3.0 reading of it.")
	}
	out, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("specs: export %s: %w", op.ID, err)
	}
	return append(out, '\n'), nil
}

// exporter builds the exported operation object of op.
type exporter struct {
	op   *Operation
	opts ExportOptions
}

// operation is the post operation: op's own, with the parameters and the
// request body rebuilt from the model.
func (x exporter) operation(doc map[string]any) (map[string]any, error) {
	paths, _ := doc["paths"].(map[string]any)
	item, _ := paths["/"].(map[string]any)
	post, _ := item["post"].(map[string]any)
	if post == nil {
		return nil, fmt.Errorf("the document has no post operation on /")
	}
	var params []any
	body := map[string]any{}
	var bodyRequired []string
	names := map[string]bool{}
	for _, p := range x.op.Params {
		for _, e := range x.expand(p) {
			names[e.name] = true
			if p.In == InBody {
				if e.desc != "" {
					e.schema["description"] = e.desc
				}
				body[e.name] = e.schema
				if e.required {
					bodyRequired = append(bodyRequired, e.name)
				}
				continue
			}
			params = append(params, map[string]any{"name": e.name, "in": "query", "required": e.required,
				"description": e.desc, "schema": e.schema})
		}
	}
	for _, g := range x.gateway() {
		if !names[g["name"].(string)] {
			params = append(params, g)
		}
	}
	post["parameters"] = params
	delete(post, "requestBody")
	if len(body) > 0 {
		schema := map[string]any{"type": "object", "properties": body}
		if len(bodyRequired) > 0 {
			schema["required"] = bodyRequired
		}
		post["requestBody"] = map[string]any{"required": len(bodyRequired) > 0, "content": map[string]any{
			"application/x-www-form-urlencoded": map[string]any{"schema": schema}}}
	}
	return post, nil
}

// wireParam is one parameter as it travels: its wire name and schema.
type wireParam struct {
	name, desc string
	required   bool
	schema     map[string]any
}

// expand returns the wire parameters of p: one, or one per field and
// element of a flat list.
func (x exporter) expand(p *Param) []wireParam {
	if p.Kind != KindArray || p.Style != StyleFlat || p.Items == nil {
		return []wireParam{{name: p.Name, desc: p.Description, required: p.Required, schema: schemaOf(p)}}
	}
	n := x.opts.UnboundedItems
	if p.MaxItems != nil {
		n = *p.MaxItems
	}
	var out []wireParam
	for i := 1; i <= n; i++ {
		prefix := p.Name + "." + strconv.Itoa(i)
		first := i == 1 && p.Required
		if len(p.Items.Fields) == 0 {
			out = append(out, wireParam{name: prefix, desc: p.Items.Description, required: first, schema: schemaOf(p.Items)})
			continue
		}
		for _, f := range p.Items.Fields {
			for _, e := range x.expand(f) {
				out = append(out, wireParam{name: prefix + "." + e.name, desc: e.desc, required: first && e.required, schema: e.schema})
			}
		}
	}
	return out
}

// schemaOf is the plain schema of a parameter that is one value on the wire.
func schemaOf(p *Param) map[string]any {
	s := map[string]any{}
	switch {
	case p.Kind == KindInteger:
		s["type"] = "integer"
		if p.Format != "" {
			s["format"] = p.Format
		}
		if n, err := strconv.ParseInt(p.Default, 10, 64); err == nil {
			s["default"] = n
		}
		return s
	case p.Kind == KindBoolean:
		s["type"] = "boolean"
		if b, err := strconv.ParseBool(p.Default); err == nil {
			s["default"] = b
		}
		return s
	case p.Kind == KindArray && p.Style == StyleJSON:
		s["type"] = "string"
		s["pattern"] = jsonArrayPattern(p)
		return s
	}
	s["type"] = "string"
	if p.MinLength != nil {
		s["minLength"] = *p.MinLength
	}
	if p.MaxLength != nil {
		s["maxLength"] = *p.MaxLength
	}
	switch {
	case len(p.Enum) > 0 && p.EnumCaseInsensitive:
		s["pattern"] = "^" + anyCase(p.Enum) + "$"
	case len(p.Enum) > 0:
		s["enum"] = stringsAny(p.Enum)
	}
	if p.Pattern != nil && s["pattern"] == nil {
		s["pattern"] = ECMAPattern(p.Pattern.String())
	}
	if p.Format != "" && p.Pattern == nil {
		s["format"] = p.Format
	}
	if p.Default != "" {
		s["default"] = p.Default
	}
	return s
}

// jsonArrayPattern admits a JSON array of p's items: their enum values (or
// any JSON string), at least minItems and at most maxItems of them.
func jsonArrayPattern(p *Param) string {
	item := `"(?:[^"\\]|\\.)*"`
	if p.Items != nil {
		switch {
		case len(p.Items.Enum) > 0:
			quoted := make([]string, len(p.Items.Enum))
			for i, v := range p.Items.Enum {
				quoted[i] = regexp.QuoteMeta(v)
			}
			item = `"(?:` + strings.Join(quoted, "|") + `)"`
		case p.Items.Kind == KindInteger:
			item = `-?[0-9]+`
		case p.Items.Kind == KindBoolean:
			item = `(?:true|false)`
		}
	}
	more := "*"
	if p.MaxItems != nil {
		if *p.MaxItems <= 0 {
			return `^\[\s*\]$`
		}
		more = "{0," + strconv.Itoa(*p.MaxItems-1) + "}"
	}
	list := item + `(?:\s*,\s*` + item + `)` + more
	if p.MinItems != nil && *p.MinItems > 0 {
		return `^\[\s*` + list + `\s*\]$`
	}
	return `^\[\s*(?:` + list + `)?\s*\]$`
}

// anyCase is an ECMA-262 group matching any of values in any letter case.
func anyCase(values []string) string {
	alts := make([]string, len(values))
	for i, v := range values {
		var b strings.Builder
		for _, r := range v {
			lo, up := unicode.ToLower(r), unicode.ToUpper(r)
			if lo != up {
				b.WriteString("[" + string(up) + string(lo) + "]")
				continue
			}
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
		alts[i] = b.String()
	}
	return "(?:" + strings.Join(alts, "|") + ")"
}

// hexEscape is Go's \x{HHHH} escape, which ECMA-262 does not have.
var hexEscape = regexp.MustCompile(`\\x\{([0-9A-Fa-f]{1,6})\}`)

// ECMAPattern returns the Go (RE2) regexp re as ECMA-262 source that is
// ASCII only: each \x{HHHH} escape, and each non-ASCII character written
// as itself, becomes \uHHHH (upper-case hex; a surrogate pair beyond
// U+FFFF), and an ASCII \x{HH} becomes \xHH. An escaped backslash is
// respected. ECMA-262 reads \uHHHH with or without the u flag, and
// kin-openapi reads the upper-case form too (it rewrites it for Go). A
// literal character would do for ECMA-262 alone, but some tools put the
// pattern into HTTP headers (Prism 5.14.2's sl-violations), which must be
// ASCII. Other syntax is common to both.
func ECMAPattern(re string) string {
	var b strings.Builder
	last := 0
	for _, m := range hexEscape.FindAllStringSubmatchIndex(re, -1) {
		if precededByEscape(re, m[0]) {
			continue
		}
		writeASCII(&b, re[last:m[0]])
		n, _ := strconv.ParseUint(re[m[2]:m[3]], 16, 32)
		switch r := rune(n); {
		case r < utf8.RuneSelf:
			fmt.Fprintf(&b, `\x%02x`, r)
		case !utf8.ValidRune(r):
			b.WriteString(re[m[0]:m[1]])
		default:
			writeUnicodeEscape(&b, r)
		}
		last = m[1]
	}
	writeASCII(&b, re[last:])
	return b.String()
}

// writeASCII writes s with each non-ASCII character as \uHHHH.
func writeASCII(b *strings.Builder, s string) {
	for _, r := range s {
		if r < utf8.RuneSelf {
			b.WriteRune(r)
			continue
		}
		writeUnicodeEscape(b, r)
	}
}

// writeUnicodeEscape writes r as \uHHHH, or a surrogate pair of them.
func writeUnicodeEscape(b *strings.Builder, r rune) {
	if r > 0xFFFF {
		hi, lo := utf16.EncodeRune(r)
		fmt.Fprintf(b, `\u%04X\u%04X`, hi, lo)
		return
	}
	fmt.Fprintf(b, `\u%04X`, r)
}

// precededByEscape reports whether the backslash at i is itself escaped
// (an odd number of backslashes stand before it).
func precededByEscape(s string, i int) bool {
	n := 0
	for j := i - 1; j >= 0 && s[j] == '\\'; j-- {
		n++
	}
	return n%2 == 1
}

// gateway are the common parameters of every call, all optional.
func (x exporter) gateway() []map[string]any {
	q := func(name, desc string, schema map[string]any) map[string]any {
		return map[string]any{"name": name, "in": "query", "required": false, "description": desc, "schema": schema}
	}
	h := func(name, desc string) map[string]any {
		return map[string]any{"name": name, "in": "header", "required": false, "description": desc,
			"schema": map[string]any{"type": "string"}}
	}
	str := map[string]any{"type": "string"}
	return []map[string]any{
		q("Action", "the API name (V1; V3 sends it in x-acs-action)", map[string]any{"type": "string", "enum": []any{x.op.Action}}),
		q("Version", "the API version (V1; V3 sends it in x-acs-version)", map[string]any{"type": "string", "enum": []any{x.op.Version}}),
		q("Format", "the response format, in any case", map[string]any{"type": "string", "pattern": "^" + anyCase(x.formats()) + "$"}),
		q("AccessKeyId", "V1 signature: the AccessKey ID", str),
		q("SignatureMethod", "V1 signature: the method", map[string]any{"type": "string", "enum": []any{"HMAC-SHA1"}}),
		q("SignatureVersion", "V1 signature: the version", map[string]any{"type": "string", "enum": []any{"1.0"}}),
		q("SignatureNonce", "V1 signature: a unique nonce", str),
		q("Timestamp", "V1 signature: the UTC time, yyyy-MM-ddTHH:mm:ssZ", str),
		q("Signature", "V1 signature: the HMAC-SHA1 signature", str),
		q("SecurityToken", "an STS token", str),
		h("x-acs-action", "V3: the API name"),
		h("x-acs-version", "V3: the API version"),
		h("x-acs-date", "V3: the UTC time, yyyy-MM-ddTHH:mm:ssZ"),
		h("x-acs-signature-nonce", "V3: a unique nonce"),
		h("x-acs-content-sha256", "V3: the hex SHA-256 of the body"),
		h("x-acs-security-token", "V3: an STS token"),
	}
}

// formats are the values of Format that op's responses have (the model's
// Response.Formats: JSON, and XML when there is an XML form).
func (x exporter) formats() []string {
	if x.op.Response == nil || len(x.op.Response.Formats) == 0 {
		return []string{"JSON"}
	}
	return x.op.Response.Formats
}

// securitySchemes are the gateway's two ways of signing a request.
func securitySchemes() map[string]any {
	return map[string]any{
		"acs3": map[string]any{"type": "apiKey", "in": "header", "name": "Authorization",
			"description": "V3 signature: ACS3-HMAC-SHA256 Credential=AccessKeyId,SignedHeaders=...,Signature=..."},
		"acs1": map[string]any{"type": "apiKey", "in": "query", "name": "Signature",
			"description": "V1 signature: HMAC-SHA1 of the canonical query, with AccessKeyId, SignatureMethod, SignatureVersion, SignatureNonce and Timestamp"},
	}
}

// plain returns v with every x-acs-* key removed and every pattern written
// for ECMA-262, recursively.
func plain(v any) any {
	switch t := v.(type) {
	case map[string]any:
		for k, e := range t {
			if strings.HasPrefix(k, "x-acs-") {
				delete(t, k)
				continue
			}
			if s, ok := e.(string); ok && k == "pattern" {
				t[k] = ECMAPattern(s)
				continue
			}
			t[k] = plain(e)
		}
	case []any:
		for i := range t {
			t[i] = plain(t[i])
		}
	}
	return v
}

// stringsAny converts values for a JSON enum.
func stringsAny(values []string) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}
