package emulator

import "fmt"

// apiError is an error answer: the HTTP status, the Code and the Message of
// the error envelope.
type apiError struct {
	Status  int
	Code    string
	Message string
}

// Error implements error.
func (e *apiError) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// Gateway errors, worded as the real gateway words them (PROTOCOL.md).
var (
	errIncompleteSignature = &apiError{400, "IncompleteSignature", "The request signature does not conform to Aliyun standards."}
	errSignatureMismatch   = &apiError{400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation."}
	errAccessKeyNotFound   = &apiError{404, "InvalidAccessKeyId.NotFound", "Specified access key is not found."}
	errTimestampExpired    = &apiError{400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired."}
	errNonceUsed           = &apiError{400, "SignatureNonceUsed", "Specified signature nonce was used already."}
	errActionNotFound      = &apiError{404, "InvalidAction.NotFound", "Specified api is not found, please check your url and method."}
	errThrottlingUser      = &apiError{400, "Throttling.User", "Request was denied due to user flow control."}
	errInternal            = &apiError{500, "InternalError", "The request processing has failed due to some unknown error."}
)

// errMissing is the gateway's answer to a missing mandatory parameter:
// Code Missing<Name>.
func errMissing(name string) *apiError {
	return &apiError{400, "Missing" + name,
		fmt.Sprintf("The input parameter %q that is mandatory for processing this request is not supplied.", name)}
}

// errMalformed answers a request that cannot be decoded (bad escapes, too
// many parameters, an oversized body).
func errMalformed(why string) *apiError {
	return &apiError{400, "InvalidParameter", "The request is malformed: " + why + "."}
}
