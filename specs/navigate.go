package specs

import (
	"strings"
	"time"
)

// SplitPath splits a parameter path into its top-level name and the field
// of a list element ("Users[].EndUserId" is "Users", "EndUserId"); field is
// "" for a top-level path.
func SplitPath(path string) (top, field string) {
	top, field, _ = strings.Cut(path, "[].")
	return top, field
}

// JoinPath is the path of field of a list top's elements ("Users[].Email"),
// or top alone when field is "": SplitPath's inverse.
func JoinPath(top, field string) string {
	if field == "" {
		return top
	}
	return top + "[]." + field
}

// ElementField finds a field of a list parameter's elements, whose fields
// may sit on the parameter itself or on its Items.
func (p *Param) ElementField(name string) (*Param, bool) {
	if f, ok := p.Field(name); ok {
		return f, true
	}
	if p.Items != nil {
		return p.Items.Field(name)
	}
	return nil, false
}

// Enumeration returns the documented values of p, or of its items for an
// array, and whether the docs leave their case open.
func (p *Param) Enumeration() (values []string, caseInsensitive bool) {
	if len(p.Enum) == 0 && p.Items != nil {
		return p.Items.Enum, p.Items.EnumCaseInsensitive || p.EnumCaseInsensitive
	}
	return p.Enum, p.EnumCaseInsensitive
}

// Declarations are what a target declares about itself that rules of some
// kinds need before they can be checked, keyed by the rule kind: the
// values that exist on the target (RuleExists: its Bastionhost instances)
// and its limits (RuleQuota: its user quota per account); and, keyed by
// resource kind, the resources parameters with a Reference may name (the
// RAM users a Bastionhost SourceUserId names). The zero value
// declares nothing, and the checks that need a declaration are skipped.
type Declarations struct {
	// Values are, per rule kind, values the target has.
	Values map[RuleKind][]string
	// Limits are, per rule kind, the target's limits; 0 means undeclared.
	Limits map[RuleKind]int
	// Resources are, per kind of resource a parameter must name
	// (Reference.Resource: "ram-user", ...), the resources every account
	// of the target has: a value naming one of them must be accepted.
	Resources map[string][]string
}

// DeclareResource adds resources of a kind (a Reference's Resource).
func (d *Declarations) DeclareResource(kind string, ids ...string) {
	if d.Resources == nil {
		d.Resources = map[string][]string{}
	}
	d.Resources[kind] = append(d.Resources[kind], ids...)
}

// Declare adds values for a rule kind.
func (d *Declarations) Declare(kind RuleKind, values ...string) {
	if d.Values == nil {
		d.Values = map[RuleKind][]string{}
	}
	d.Values[kind] = append(d.Values[kind], values...)
}

// SetLimit declares the limit of a rule kind.
func (d *Declarations) SetLimit(kind RuleKind, limit int) {
	if d.Limits == nil {
		d.Limits = map[RuleKind]int{}
	}
	d.Limits[kind] = limit
}

// RuleOfKind returns op's first rule of kind k, nil when it has none.
func (op *Operation) RuleOfKind(k RuleKind) *Rule {
	for _, r := range op.Rules {
		if r.Kind == k {
			return r
		}
	}
	return nil
}

// RateLimitRule is the rule op's documented rate limit is checked under:
// its rate-limit rule, or one named after the operation when the spec
// documents the limit without a rule.
func (op *Operation) RateLimitRule() *Rule {
	if r := op.RuleOfKind(RuleRateLimit); r != nil {
		return r
	}
	return &Rule{ID: op.ID + ".rate-limit", Kind: RuleRateLimit, Quote: op.RateLimit.Quote}
}

// SafeInterval is the spacing of calls just under the documented rate: the
// period per call and a tenth more. No window of length Per then holds
// more than Calls calls, whether the target counts in fixed windows,
// sliding windows or a token bucket; 0 for a limit without calls or period.
func (rl *RateLimit) SafeInterval() time.Duration {
	if rl == nil || rl.Calls <= 0 || rl.Per <= 0 {
		return 0
	}
	return rl.Per * 11 / 10 / time.Duration(rl.Calls)
}
