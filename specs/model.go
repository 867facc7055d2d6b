package specs

import (
	"regexp"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

// Model is every operation acsconform knows, as read from the embedded
// OpenAPI documents by Load. It is the single source of every rule: the
// generators, the oracle and the checks read it and nothing else.
type Model struct {
	// Operations in a fixed order: ram, eds-user, bastionhost.
	Operations []*Operation
	// GatewayErrors are the common errors any operation may return
	// (signature, throttling, missing parameter, unknown action), from
	// the documents' x-acs-gateway-errors.
	GatewayErrors []*ErrorDef
	// TimestampSkew is how far a signed request's timestamp may be from
	// the gateway's clock before InvalidTimeStamp.Expired.
	TimestampSkew time.Duration
}

// GatewayError returns the common error whose Code is code.
func (m *Model) GatewayError(code string) (*ErrorDef, bool) {
	for _, e := range m.GatewayErrors {
		if e.Code == code {
			return e, true
		}
	}
	return nil, false
}

// Operation returns the operation whose ID (e.g. "ram") is id.
func (m *Model) Operation(id string) (*Operation, bool) {
	for _, op := range m.Operations {
		if op.ID == id {
			return op, true
		}
	}
	return nil, false
}

// Operation is one documented API operation and everything the docs say of it.
type Operation struct {
	// ID is the short name used on the command line and in reports:
	// "ram", "eds-user" or "bastionhost".
	ID string
	// Product is the endpoint code ("ram", "eds-user", "yundun-bastionhost").
	Product string
	// Action and Version select the operation on the wire.
	Action, Version string
	// Seed is the file name of the official document the spec was written from.
	Seed string
	// Methods are the HTTP methods the gateway accepts ("POST", "GET").
	Methods []string
	// Summary is a one-line description.
	Summary string
	// Params are the business parameters, top level, in document order.
	// Common parameters (Action, Version, signature) are not included.
	Params []*Param
	// Rules are every documented rule of the operation, flattened, each with
	// a stable ID, the seed sentence it rests on and the outcomes the docs
	// allow when a request breaks it.
	Rules []*Rule
	// Errors are the operation's own documented errors.
	Errors []*ErrorDef
	// RateLimit is the documented call rate limit, nil when none is documented.
	RateLimit *RateLimit
	// Ambiguities are the places where the seed is ambiguous or contradicts
	// itself, with every reading and the one the reference emulator follows.
	Ambiguities []*Ambiguity
	// Response describes the documented success response.
	Response *Response
	// Statements trace the seed, sentence by sentence, to the rules,
	// ambiguities, parameters and response fields that encode it
	// (statements.yaml), in seed order.
	Statements []*Statement
	// Doc is the OpenAPI document the operation was loaded from; its single
	// path item is "/" and its operationId is Action.
	Doc *openapi3.T
}

// Param returns the top-level parameter named name.
func (op *Operation) Param(name string) (*Param, bool) {
	for _, p := range op.Params {
		if p.Name == name {
			return p, true
		}
	}
	return nil, false
}

// Rule returns the rule whose ID is id.
func (op *Operation) Rule(id string) (*Rule, bool) {
	for _, r := range op.Rules {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// Lookup returns the parameter whose Path is path, at any depth
// ("UserName", "Users", "Users[]", "Users[].EndUserId").
func (op *Operation) Lookup(path string) (*Param, bool) {
	var walk func(ps []*Param) *Param
	walk = func(ps []*Param) *Param {
		for _, p := range ps {
			if p.Path == path {
				return p
			}
			kids := p.Fields
			if p.Items != nil {
				kids = append([]*Param{p.Items}, kids...)
			}
			if found := walk(kids); found != nil {
				return found
			}
		}
		return nil
	}
	p := walk(op.Params)
	return p, p != nil
}

// Error returns the operation's own documented error whose Code is code.
func (op *Operation) Error(code string) (*ErrorDef, bool) {
	for _, e := range op.Errors {
		if e.Code == code {
			return e, true
		}
	}
	return nil, false
}

// Ambiguity returns the ambiguity whose ID is id.
func (op *Operation) Ambiguity(id string) (*Ambiguity, bool) {
	for _, a := range op.Ambiguities {
		if a.ID == id {
			return a, true
		}
	}
	return nil, false
}

// Location says where a parameter travels on the wire.
type Location string

// Parameter locations.
const (
	InQuery Location = "query" // the URL query string
	InBody  Location = "body"  // an application/x-www-form-urlencoded body
)

// Style says how a parameter's value is written on the wire.
type Style string

// Wire styles.
const (
	// StylePlain is key=value with the value as text.
	StylePlain Style = "plain"
	// StyleFlat flattens an array of objects 1-based:
	// Users.1.EndUserId=a&Users.2.EndUserId=b (nested lists likewise).
	StyleFlat Style = "flat"
	// StyleJSON writes the value as a JSON document in one string, e.g.
	// TwoFactorMethods=["sms"].
	StyleJSON Style = "json"
)

// Kind is a parameter's data type.
type Kind string

// Parameter kinds.
const (
	KindString  Kind = "string"
	KindInteger Kind = "integer" // decimal text on the wire; Format says int32/int64
	KindBoolean Kind = "boolean" // "true" or "false" on the wire
	KindArray   Kind = "array"
	KindObject  Kind = "object"
)

// Param is one request parameter and its documented constraints. A nil
// pointer or empty field means the docs state no such constraint.
type Param struct {
	// Name is the wire name ("UserName", "Users", "EndUserId").
	Name string
	// Path names the parameter within the operation: "UserName" at top
	// level, "Users[].EndUserId" for a field of an array element.
	Path string
	// In is where it travels; fields of an array element inherit it.
	In Location
	// Style is how it is encoded on the wire.
	Style Style
	// Kind is its type; Format refines it ("email", "date", "int64").
	Kind   Kind
	Format string
	// Required is the unconditional requirement; conditional ones are Rules.
	Required bool
	// MinLength and MaxLength count characters (runes), not bytes.
	MinLength, MaxLength *int
	// Pattern is the broadest documented reading: a value that does not
	// match it is invalid under every reading.
	Pattern *regexp.Regexp
	// StrictPattern is the narrowest reading: a value that matches it is
	// valid under every reading. Nil means Pattern is unambiguous.
	StrictPattern *regexp.Regexp
	// Enum lists the documented values; empty means any value. For a
	// StyleJSON array the values are those of Items.Enum.
	Enum []string
	// EnumCaseInsensitive records that the seed's own example suggests the
	// enum may be matched case-insensitively (an ambiguity).
	EnumCaseInsensitive bool
	// Items describes each element of an array (Kind == KindArray); for
	// StyleJSON arrays it is the element of the JSON array.
	Items *Param
	// MinItems and MaxItems bound arrays.
	MinItems, MaxItems *int
	// Fields are the fields of an object (the element of Users).
	Fields []*Param
	// Default is the documented default, "" when none.
	Default string
	// Example is the seed's example value, verbatim.
	Example string
	// ExampleAmbiguity is the ID of the Ambiguity that explains why Example
	// is masked or breaks the seed's own rules; "" when Example satisfies
	// every rule of the parameter.
	ExampleAmbiguity string
	// Description is the seed's description, verbatim.
	Description string
	// Secret marks values that must never appear in a report or log
	// (passwords); x-acs-secret in the document.
	Secret bool
	// References say that the value must name a real resource of the
	// target (x-acs-references): Bastionhost's SourceUserId names a RAM
	// user or a directory user. Only the target knows its resources, so
	// a reference is no Rule: the oracle judges it against what the
	// target declares (oracle.State).
	References []*Reference
}

// Reference is a documented requirement that a parameter's value name a
// real resource of the target (a RAM user's UserId, a directory user's
// DN). A value the target declared must be accepted; any other value may
// be accepted (the target may have that resource) or answered with one of
// Broken (it may not): the note Ambiguity says so.
type Reference struct {
	// Resource names the kind of resource ("ram-user", "directory-user");
	// the target declares its resources per kind and account.
	Resource string
	// When lists the conditions under which the value names this kind of
	// resource; all must hold (none: always).
	When []Condition
	// Quote is the seed sentence, verbatim.
	Quote string
	// Ambiguity is the ID of the note that records the open answer for an
	// undeclared value.
	Ambiguity string
	// Broken lists the answers the docs allow when the value names no
	// such resource.
	Broken []Outcome
}

// Field returns the field of an object parameter named name.
func (p *Param) Field(name string) (*Param, bool) {
	for _, f := range p.Fields {
		if f.Name == name {
			return f, true
		}
	}
	return nil, false
}

// RuleKind classifies rules; generators and the oracle switch on it.
type RuleKind string

// Rule kinds. Each names what a request must do to satisfy the rule.
const (
	RuleRequired            RuleKind = "required"             // Param must be present and non-empty
	RuleType                RuleKind = "type"                 // Param's text must parse as its Kind
	RuleMinLength           RuleKind = "min-length"           // at least Limit characters
	RuleMaxLength           RuleKind = "max-length"           // at most Limit characters
	RulePattern             RuleKind = "pattern"              // matches Param.Pattern (and StrictPattern for sure-valid)
	RuleEnum                RuleKind = "enum"                 // one of Param.Enum
	RuleFormat              RuleKind = "format"               // matches Param.Format (email, date, json-array)
	RuleMaxItems            RuleKind = "max-items"            // an array holds at most Limit elements
	RuleConditionalRequired RuleKind = "conditional-required" // Param required when every When condition holds
	RuleComplexity          RuleKind = "complexity"           // at least Limit of Classes present
	RuleUnique              RuleKind = "unique"               // Param's value unique within Scope (state)
	RuleQuota               RuleKind = "quota"                // at most the target's quota of users per Scope (state)
	RuleRateLimit           RuleKind = "rate-limit"           // see Operation.RateLimit (state)
	RuleBatchUnique         RuleKind = "batch-unique"         // no two elements of one batch share Param's value
	RuleExists              RuleKind = "exists"               // Param names a resource the target has (an instance), per Scope
)

// Rule is one documented rule, with the seed sentence it rests on and what
// the target must answer to a request that breaks it (and breaks no other).
type Rule struct {
	// ID is stable across releases: "<op>.<param path>.<kind>", e.g.
	// "ram.UserName.max-length", "bastionhost.Password.conditional-required".
	ID string
	// Kind says what the rule demands.
	Kind RuleKind
	// Param is the Path of the parameter the rule constrains ("" for
	// operation-wide state rules such as rate limits).
	Param string
	// Limit is the number the rule names: a length, an item count, the
	// number of character classes, a quota default.
	Limit int
	// Classes are the character classes of a complexity rule: "upper",
	// "lower", "digit", "special" (see CharClass).
	Classes []string
	// UnsureChars are the characters whose treatment a complexity rule's
	// seed leaves open (x-acs-rules' unsure-chars): a value containing one
	// may count them in any class, or be invalid. The oracle calls such a
	// value Ambiguous unless the rule is surely broken without them; the
	// generators never put one in a valid value. An ambiguity names every
	// rule that has them.
	UnsureChars string
	// When lists the conditions under which a conditional rule applies;
	// all must hold.
	When []Condition
	// Scope is where a state rule counts: "account" or "instance".
	Scope string
	// Quote is the seed sentence the rule rests on, verbatim.
	Quote string
	// Broken lists every outcome the docs allow for a request that breaks
	// this rule alone. More than one entry means the docs are ambiguous
	// (Ambiguity names the note) or name several codes. A value that breaks
	// the rule under one reading only (Param.Unsure) may also be accepted.
	Broken []Outcome
	// Ambiguity is the ID of the first Ambiguity note that concerns this
	// rule, if any (Ambiguities[0]).
	Ambiguity string
	// Ambiguities are the IDs of every Ambiguity note that concerns this
	// rule, in document order: a rule may be ambiguous in more than one way
	// (eds-user's per-user password: its outcome, and its spaces).
	Ambiguities []string
	// Empty lists outcomes a required rule also allows when the parameter
	// is sent with an empty value (x-acs-rules' empty): readings under
	// which an empty value is not absent but breaks another rule. Broken
	// alone applies to an absent parameter. An ambiguity names every rule
	// that has them.
	Empty []Outcome
}

// Condition is one clause of a conditional rule: Param's value is one of Values.
type Condition struct {
	// Param is the Path of the parameter the condition reads.
	Param string
	// Values are the values that make the condition hold. For a StyleJSON
	// array the condition holds when the array contains one of them.
	Values []string
	// Absent, when true, makes the condition hold when Param is not sent
	// (and then Default applies).
	Absent bool
}

// Outcome is one answer the docs allow.
type Outcome struct {
	// Accept is the reading under which the target accepts the request (200).
	Accept bool
	// Status is the HTTP status of an error; 0 means any 4xx.
	Status int
	// Code is the error Code; "" means any code in a well-formed envelope.
	Code string
	// Batch means the request as a whole is accepted (200) and the offending
	// element is listed among the failures of the batch with Code as its
	// ErrorCode ("" for any).
	Batch bool
}

// ErrorDef is one documented error.
type ErrorDef struct {
	Code    string
	Status  int
	Message string
	// Trigger says in words which rule or condition produces it.
	Trigger string
	// Quote is the seed sentence (or PROTOCOL.md fact) it rests on.
	Quote string
	// Batch marks errors reported per element inside a 200 batch response
	// (eds-user's FailedUsers[].ErrorCode) rather than as an HTTP error.
	Batch bool
}

// RateLimit is a documented call rate limit.
type RateLimit struct {
	// Calls are allowed per Per within Scope ("account").
	Calls int
	Per   time.Duration
	Scope string
	// Status and Codes are what a throttled call gets (any one of Codes).
	Status int
	Codes  []string
	// Quote is the seed sentence.
	Quote string
}

// Ambiguity records a place where the seed is unclear or contradicts itself.
type Ambiguity struct {
	// ID is stable, e.g. "eds-user.password-listed-twice".
	ID string
	// Quote is the seed text that is ambiguous.
	Quote string
	// Readings are every reasonable reading, in words.
	Readings []string
	// Emulator is the reading the reference emulator follows.
	Emulator string
	// Rules are the IDs of the rules it concerns.
	Rules []string
	// Answers are error answers any request of the operation may get
	// under one of its readings, whatever the request holds: what a
	// limit the seed does not state (an account full of users) would
	// answer. The oracle allows them everywhere, as warnings.
	Answers []Outcome
}

// Response describes the documented success response.
type Response struct {
	// Schema is the JSON success body schema (from the document).
	Schema *openapi3.SchemaRef
	// Formats are the documented formats, "JSON" and possibly "XML".
	Formats []string
	// XMLRoot is the root element of the XML form ("CreateUserResponse").
	XMLRoot string
	// ErrorSchema is the common error envelope schema.
	ErrorSchema *openapi3.SchemaRef
	// Example is the seed's JSON example, verbatim.
	Example string
	// RequestID is the documented form of every RequestId (upper-case UUID).
	RequestID *regexp.Regexp
	// MediaTypes lists, per format ("JSON", "XML"), the Content-Type media
	// types (without parameters) a response in that format may carry.
	MediaTypes map[string][]string
}
