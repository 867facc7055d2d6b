package specs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"slices"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"go.yaml.in/yaml/v4"
)

// statementsFile traces every sentence of the seeds to what encodes it.
const statementsFile = "statements.yaml"

// StatementKind says what a seed sentence states.
type StatementKind string

// Statement kinds.
const (
	StatementOperation   StatementKind = "operation"      // what the call does, which operation it is
	StatementParameter   StatementKind = "parameter"      // a parameter, its type, whether it is required, its default
	StatementLimit       StatementKind = "limit"          // a length or count limit
	StatementPattern     StatementKind = "pattern"        // a character set or format
	StatementEnum        StatementKind = "enum"           // a list of valid values, or one of them
	StatementConditional StatementKind = "conditional"    // a requirement that holds under a condition
	StatementCode        StatementKind = "code"           // an error code and its message
	StatementStatus      StatementKind = "status"         // the HTTP status of an error
	StatementResponse    StatementKind = "response-field" // a field of the success response
	StatementRateLimit   StatementKind = "rate-limit"     // a call rate limit
	StatementExample     StatementKind = "example"        // an example value
	StatementProse       StatementKind = "prose"          // headings, navigation, advice: nothing a call can check
)

// statementKinds are the kinds statements.yaml may use.
var statementKinds = []StatementKind{StatementOperation, StatementParameter, StatementLimit, StatementPattern,
	StatementEnum, StatementConditional, StatementCode, StatementStatus, StatementResponse, StatementRateLimit,
	StatementExample, StatementProse}

// Statement is one sentence (or table row, or list item) of an
// operation's seed, verbatim, and what encodes it: the rules that check
// it, the ambiguities that record why it is open, the parameters and
// response fields it defines; or, for a sentence no call of the
// operation can check, why not. Every rule of the operation is named by
// at least one statement, and every sentence of the seed is quoted by one
// (tests check both against the seed files).
type Statement struct {
	// Kind says what the sentence states.
	Kind StatementKind
	// Quote is the seed text, verbatim: a sentence, a row, a list item, or
	// a few lines (joined by "\n" as in the seed).
	Quote string
	// Rules are the IDs of the rules that encode the sentence.
	Rules []string
	// Ambiguities are the IDs of the notes that record how the sentence
	// is open (readings, a missing list, a masked example).
	Ambiguities []string
	// Params are the Paths of the parameters the sentence defines
	// (their existence, type, optionality, default, example).
	Params []string
	// Response are the paths of the success response's fields the
	// sentence defines ("UserId", "User.CreateDate", "CreateResult.FailedUsers[].ErrorCode").
	Response []string
	// Unobservable says why no call of this operation can check the
	// sentence; "" when it is mapped.
	Unobservable string
}

// Mapped reports whether s names a rule, an ambiguity, a parameter or a
// response field.
func (s *Statement) Mapped() bool {
	return len(s.Rules)+len(s.Ambiguities)+len(s.Params)+len(s.Response) > 0
}

// statementSpec is one entry of statements.yaml.
type statementSpec struct {
	Kind         string   `yaml:"kind"`
	Quote        string   `yaml:"quote"`
	Rules        []string `yaml:"rules"`
	Ambiguities  []string `yaml:"ambiguities"`
	Params       []string `yaml:"params"`
	Response     []string `yaml:"response"`
	Unobservable string   `yaml:"unobservable"`
}

// loadStatements reads statements.yaml (operation ID -> statements) and
// attaches each operation's statements, checking every reference.
func loadStatements(fsys fs.FS, m *Model) error {
	data, err := fs.ReadFile(fsys, statementsFile)
	if err != nil {
		return &DocError{File: statementsFile, Err: err}
	}
	var specs map[string][]statementSpec
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&specs); err != nil && !errors.Is(err, io.EOF) {
		return &DocError{File: statementsFile, Place: "parse", Err: err}
	}
	for id := range specs {
		if _, ok := m.Operation(id); !ok {
			return &DocError{File: statementsFile, Place: id, Err: fmt.Errorf("no operation %q", id)}
		}
	}
	for _, op := range m.Operations {
		if len(specs[op.ID]) == 0 {
			return &DocError{File: statementsFile, Place: op.ID, Err: fmt.Errorf("no statements for %s", op.ID)}
		}
		for i, s := range specs[op.ID] {
			st, err := statement(op, s)
			if err != nil {
				return &DocError{File: statementsFile, Place: fmt.Sprintf("%s[%d]", op.ID, i), Err: err}
			}
			op.Statements = append(op.Statements, st)
		}
		for _, r := range op.Rules {
			if !slices.ContainsFunc(op.Statements, func(s *Statement) bool { return slices.Contains(s.Rules, r.ID) }) {
				return &DocError{File: statementsFile, Place: op.ID, Err: fmt.Errorf("rule %s rests on no statement", r.ID)}
			}
		}
	}
	return nil
}

// statement checks one entry against the operation.
func statement(op *Operation, s statementSpec) (*Statement, error) {
	st := &Statement{Kind: StatementKind(s.Kind), Quote: s.Quote, Rules: s.Rules, Ambiguities: s.Ambiguities,
		Params: s.Params, Response: s.Response, Unobservable: strings.TrimSpace(s.Unobservable)}
	switch {
	case !slices.Contains(statementKinds, st.Kind):
		return nil, fmt.Errorf("kind %q is not one of %v", s.Kind, statementKinds)
	case strings.TrimSpace(st.Quote) == "":
		return nil, fmt.Errorf("no quote")
	case st.Mapped() == (st.Unobservable != ""):
		return nil, fmt.Errorf("%q: a statement names rules, ambiguities, parameters or response fields, or says why it is unobservable: exactly one of the two", st.Quote)
	case st.Kind == StatementProse && st.Mapped():
		return nil, fmt.Errorf("%q: prose is unobservable", st.Quote)
	}
	for _, id := range st.Rules {
		if _, ok := op.Rule(id); !ok {
			return nil, fmt.Errorf("%q: unknown rule %q", st.Quote, id)
		}
	}
	for _, id := range st.Ambiguities {
		if _, ok := op.Ambiguity(id); !ok {
			return nil, fmt.Errorf("%q: unknown ambiguity %q", st.Quote, id)
		}
	}
	for _, path := range st.Params {
		if _, ok := op.Lookup(path); !ok {
			return nil, fmt.Errorf("%q: unknown parameter %q", st.Quote, path)
		}
	}
	for _, path := range st.Response {
		if op.Response == nil || !schemaHas(op.Response.Schema, path) {
			return nil, fmt.Errorf("%q: the success response has no field %q", st.Quote, path)
		}
	}
	return st, nil
}

// schemaHas reports whether the schema has the field path ("User.UserId",
// "CreateResult.CreatedUsers[].Email").
func schemaHas(ref *openapi3.SchemaRef, path string) bool {
	for _, part := range strings.Split(path, ".") {
		name, array := strings.CutSuffix(part, "[]")
		if ref == nil || ref.Value == nil {
			return false
		}
		ref = ref.Value.Properties[name]
		if array {
			if ref == nil || ref.Value == nil {
				return false
			}
			ref = ref.Value.Items
		}
	}
	return ref != nil && ref.Value != nil
}
