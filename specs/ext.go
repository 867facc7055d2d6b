package specs

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// The x-acs-* extensions, as they are written in the YAML documents. Each is
// decoded strictly: an unknown key is an error, so a typo cannot silently
// drop a rule. specs/README.md documents every one of them.

// opExt is the operation's x-acs-operation.
type opExt struct {
	ID      string   `json:"id"`
	Product string   `json:"product"`
	Action  string   `json:"action"`
	Version string   `json:"version"`
	Seed    string   `json:"seed"`
	Methods []string `json:"methods"`
}

// ruleSpec is one entry of an x-acs-rules map (kind -> ruleSpec).
type ruleSpec struct {
	Quote           string        `json:"quote"`
	Broken          []outcomeSpec `json:"broken"`
	Limit           *int          `json:"limit"`
	Classes         []string      `json:"classes"`
	When            []condSpec    `json:"when"`
	Scope           string        `json:"scope"`
	Pattern         string        `json:"pattern"`
	StrictPattern   string        `json:"strict-pattern"`
	CaseInsensitive bool          `json:"case-insensitive"`
	UnsureChars     string        `json:"unsure-chars"`
	Empty           []outcomeSpec `json:"empty"`
}

// outcomeSpec is one allowed outcome of a broken rule.
type outcomeSpec struct {
	Accept bool   `json:"accept"`
	Status int    `json:"status"`
	Code   string `json:"code"`
	Batch  bool   `json:"batch"`
}

// condSpec is one clause of a conditional requirement.
type condSpec struct {
	Param  string   `json:"param"`
	Values []string `json:"values"`
	Absent bool     `json:"absent"`
}

// errorSpec is one entry of x-acs-errors or x-acs-gateway-errors.
type errorSpec struct {
	Code    string `json:"code"`
	Status  int    `json:"status"`
	Message string `json:"message"`
	Trigger string `json:"trigger"`
	Quote   string `json:"quote"`
	Batch   bool   `json:"batch"`
}

// ambiguitySpec is one entry of x-acs-ambiguities.
type ambiguitySpec struct {
	ID       string        `json:"id"`
	Quote    string        `json:"quote"`
	Readings []string      `json:"readings"`
	Emulator string        `json:"emulator"`
	Rules    []string      `json:"rules"`
	Answers  []outcomeSpec `json:"answers"`
}

// rateSpec is x-acs-rate-limit.
type rateSpec struct {
	Calls  int      `json:"calls"`
	Per    string   `json:"per"`
	Scope  string   `json:"scope"`
	Status int      `json:"status"`
	Codes  []string `json:"codes"`
	Quote  string   `json:"quote"`
}

// referenceSpec is one entry of x-acs-references: the value must name a
// real resource of the target, which only the target can say.
type referenceSpec struct {
	Resource  string        `json:"resource"`
	When      []condSpec    `json:"when"`
	Quote     string        `json:"quote"`
	Ambiguity string        `json:"ambiguity"`
	Broken    []outcomeSpec `json:"broken"`
}

// exampleSpec is x-acs-example: a seed example that is masked or breaks
// the seed's own rules, so it cannot be the schema's example.
type exampleSpec struct {
	Value     any    `json:"value"`
	Ambiguity string `json:"ambiguity"`
}

// decodeExt decodes the extension key of exts into into and reports whether
// it was present. Unknown fields are an error.
func decodeExt(exts map[string]any, key string, into any) (bool, error) {
	v, ok := exts[key]
	if !ok {
		return false, nil
	}
	b, err := json.Marshal(v)
	if err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(into); err != nil {
		return true, fmt.Errorf("%s: %w", key, err)
	}
	return true, nil
}
