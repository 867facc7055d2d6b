package wire

// Signature names how a request is signed; the runner knows how to sign
// each version, the generators only choose one.
type Signature string

// Signature versions.
const (
	SignV3   Signature = "v3"   // ACS3-HMAC-SHA256, the SDK default
	SignV1   Signature = "v1"   // HMAC-SHA1 in the query, older clients
	SignNone Signature = "none" // unsigned
)

// Tamper names a deliberate fault in a request's signature, for the checks
// that a target verifies signatures; the runner knows how to make each.
type Tamper string

// Signature faults.
const (
	TamperNone             Tamper = ""
	TamperWrongSignature   Tamper = "wrong-signature"    // signed with a wrong secret
	TamperExpiredTimestamp Tamper = "expired-timestamp"  // dated a day ago
	TamperReusedNonce      Tamper = "reused-nonce"       // the nonce of an earlier request
	TamperUnsigned         Tamper = "unsigned"           // every signing part but the signature itself
	TamperUnknownAccessKey Tamper = "unknown-access-key" // an AccessKeyId the target does not have
)

// Tampers are the signature faults a signature-checking target must reject.
var Tampers = []Tamper{TamperUnsigned, TamperWrongSignature, TamperExpiredTimestamp, TamperUnknownAccessKey, TamperReusedNonce}
