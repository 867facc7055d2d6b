package emulator

import (
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
)

// ForcedAnswer makes the emulator answer some requests of one operation
// with one documented error instead of serving them, so that an SDK's
// tests can meet every documented answer without changing the requests
// the SDK sends. The answer comes after the request is decoded and routed
// and before its signature is checked.
type ForcedAnswer struct {
	// Operation is "ram", "eds-user" or "bastionhost" (Operations lists
	// them), matched by the request's Action and Version.
	Operation string
	// Code is one of the operation's documented codes (DocumentedErrors
	// lists them); the HTTP status and the Message come from that list.
	Code string
	// Param, when set, restricts the answer to requests whose parameter
	// Param (query or form, e.g. "UserName" or "Users.1.EndUserId") is
	// Value; "" means every request of the operation.
	Param, Value string
	// Nth, when positive, forces only the Nth matching request, counting
	// from 1 (a retry then meets the real answer); 0 forces every one.
	Nth int
}

// DocumentedError is an answer the documents give an operation: its Code,
// HTTP status and Message.
type DocumentedError struct {
	Code    string
	Status  int
	Message string
}

// ExistedEndUserID is eds-user's per-user failure code. Forced, it answers
// 200 with every user of the request in FailedUsers under this code.
const ExistedEndUserID = "ExistedEndUserId"

// Operations returns the IDs of the operations served, in the order
// DocumentedErrors is usually read.
func Operations() []string {
	ids := make([]string, len(operations))
	for i, op := range operations {
		ids[i] = op.id
	}
	return ids
}

// DocumentedErrors returns the answers a ForcedAnswer can give the
// operation: its own documented codes (its seed's error table), then the
// gateway's (signature, throttling, Missing<Name>, server errors); nil for
// an unknown operation.
func DocumentedErrors(operation string) []DocumentedError {
	own, ok := operationErrors[operation]
	if !ok {
		return nil
	}
	out := make([]DocumentedError, 0, len(own)+len(gatewayErrors)+3)
	seen := map[string]bool{}
	add := func(e *apiError) {
		if !seen[e.Code] {
			seen[e.Code] = true
			out = append(out, DocumentedError{e.Code, e.Status, e.Message})
		}
	}
	for _, e := range own {
		add(e)
	}
	for _, name := range requiredParams[operation] {
		add(errMissing(name))
	}
	missing := *errMissing(requiredParams[operation][0])
	missing.Code = "MissingParameter"
	add(&missing)
	for _, e := range gatewayErrors {
		add(e)
	}
	return out
}

// operationErrors are each operation's own documented answers, as its seed
// lists them.
var operationErrors = map[string][]*apiError{
	"ram": {errRAMUserNameChars, errRAMUserNameLength, errRAMDisplayNameChars, errRAMDisplayNameLen,
		errRAMCommentsLength, errRAMMobilePhone, errRAMEmail, errRAMUserExists, errRAMUserLimit},
	"eds-user": {{400, "INTERNAL_ERROR", "Internal error."},
		{200, ExistedEndUserID, "The username <EndUserId> is used by another user."}},
	"bastionhost": {{400, "InvalidParameter", "The argument is invalid."}, errBastionhostUserExists,
		{500, "InternalError", "An unknown error occurred."}},
}

// requiredParams are each operation's required parameters, whose absence
// the gateway answers with Missing<Name>.
var requiredParams = map[string][]string{
	"ram":         {"UserName"},
	"eds-user":    {"Users"},
	"bastionhost": {"InstanceId", "Source", "UserName"},
}

// gatewayErrors are the gateway's answers to any operation (PROTOCOL.md).
var gatewayErrors = []*apiError{
	errIncompleteSignature, errSignatureMismatch, errAccessKeyNotFound, errTimestampExpired, errNonceUsed,
	errActionNotFound,
	{400, "Throttling", errThrottlingUser.Message}, errThrottlingUser, {400, "Throttling.Api", errThrottlingUser.Message},
	errInternal,
	{503, "ServiceUnavailable", "The request has failed due to a temporary failure of the server."},
}

// CheckAnswers returns an error naming every forced answer that names an
// unknown operation or a code the operation does not document, or a
// negative Nth.
func CheckAnswers(answers []ForcedAnswer) error {
	var errs []error
	for _, a := range answers {
		if _, err := documented(a); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// documented returns the answer a forces, or why it cannot.
func documented(a ForcedAnswer) (DocumentedError, error) {
	if _, ok := operationErrors[a.Operation]; !ok {
		return DocumentedError{}, fmt.Errorf("forced answer %s:%s: unknown operation %q (want one of %s)",
			a.Operation, a.Code, a.Operation, strings.Join(Operations(), ", "))
	}
	if a.Nth < 0 {
		return DocumentedError{}, fmt.Errorf("forced answer %s:%s: negative Nth %d", a.Operation, a.Code, a.Nth)
	}
	for _, d := range DocumentedErrors(a.Operation) {
		if d.Code == a.Code {
			return d, nil
		}
	}
	return DocumentedError{}, fmt.Errorf("forced answer %s:%s: %q is not a documented code of %s (acsconform serve --list-answers lists them)",
		a.Operation, a.Code, a.Code, a.Operation)
}

// forcing is one configured ForcedAnswer with its answer and its count of
// matching requests.
type forcing struct {
	ForcedAnswer
	answer  DocumentedError
	matched atomic.Int64
}

// newForcings prepares the answers; the caller checked them.
func newForcings(answers []ForcedAnswer) []*forcing {
	out := make([]*forcing, len(answers))
	for i, a := range answers {
		d, _ := documented(a)
		out[i] = &forcing{ForcedAnswer: a, answer: d}
	}
	return out
}

// forced returns the answer forced on req for op, or nil. Every forced
// answer matching the request counts it; the first, in order, whose count
// fires answers.
func (e *Emulator) forced(op *operation, req *request) *DocumentedError {
	var hit *DocumentedError
	for _, f := range e.forcings {
		if f.Operation != op.id || (f.Param != "" && req.param(f.Param) != f.Value) {
			continue
		}
		n := f.matched.Add(1)
		if hit == nil && (f.Nth == 0 || n == int64(f.Nth)) {
			hit = &f.answer
		}
	}
	return hit
}

// forcedBody is the body of a forced answer: the error, or for
// ExistedEndUserId a 200 with every user of the request failed.
func forcedBody(d *DocumentedError, req *request, requestID string) (any, *apiError) {
	if d.Code != ExistedEndUserID {
		return nil, &apiError{d.Status, d.Code, d.Message}
	}
	result := edsCreateResult{CreatedUsers: []edsCreatedUser{}, FailedUsers: []edsFailedUser{}}
	users, _ := edsUsers(req)
	for _, u := range users {
		id := u["EndUserId"]
		result.FailedUsers = append(result.FailedUsers, edsFailedUser{
			EndUserID: id, Email: u["Email"], Phone: u["Phone"],
			ErrorCode: ExistedEndUserID, ErrorMessage: "The username " + id + " is used by another user.",
		})
	}
	return &edsResponse{RequestID: requestID, CreateResult: result}, nil
}
