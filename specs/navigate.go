package specs

import "strings"

// SplitPath splits a parameter path into its top-level name and the field
// of a list element ("Users[].EndUserId" is "Users", "EndUserId"); field is
// "" for a top-level path.
func SplitPath(path string) (top, field string) {
	top, field, _ = strings.Cut(path, "[].")
	return top, field
}

// ParamAt returns the parameter a path names: a top-level parameter
// ("UserName") or a field of a list element ("Users[].EndUserId").
func (op *Operation) ParamAt(path string) (*Param, bool) {
	top, field := SplitPath(path)
	p, ok := op.Param(top)
	if !ok || field == "" {
		return p, ok
	}
	return p.ElementField(field)
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
