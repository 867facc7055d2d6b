package emulator

import (
	"fmt"
	"slices"
	"strings"
)

// Behavioural faults: each breaks one documented behaviour that is not a
// rule-table entry. The rule-table faults are named by the rule IDs.
const (
	FaultRAMDuplicateAllowed         = "ram-duplicate-allowed"
	FaultRAMQuotaIgnored             = "ram-quota-ignored"
	FaultEDSDuplicateCreated         = "eds-duplicate-created"
	FaultBastionhostDuplicateAllowed = "bastionhost-duplicate-allowed"
	FaultBastionhostNoThrottle       = "bastionhost-no-throttle"
	FaultThrottle429                 = "throttle-429"
	FaultThrottleShared              = "throttle-shared"
	FaultLowercaseRequestID          = "lowercase-request-id"
	FaultUserIDNumber                = "userid-number"
	FaultWrongContentType            = "wrong-content-type"
	FaultFormatXMLIgnored            = "format-xml-ignored"
	FaultSignatureUnchecked          = "signature-unchecked"
	FaultTimestampUnchecked          = "timestamp-unchecked"
	FaultNonceUnchecked              = "nonce-unchecked"
	FaultErrorNoRequestID            = "error-no-requestid"
	FaultServerErrorOnLongComment    = "server-error-on-long-comment"
	FaultCaseInsensitivePatterns     = "case-insensitive-patterns"
	FaultEDSVanishedUser             = "eds-vanished-user"
	FaultBastionhostUniquePerAccount = "bastionhost-unique-per-account"
	FaultHangOnQ                     = "hang-on-q"
	FaultThrottleHalfRate            = "bastionhost-throttle-half-rate"
	FaultThrottleSticky              = "throttle-sticky"
	FaultTrickledBody                = "trickled-body"
)

// behaviourFaults are the behavioural faults with what each breaks.
var behaviourFaults = []struct{ name, breaks string }{
	{FaultRAMDuplicateAllowed, "RAM accepts a user name the account already has"},
	{FaultRAMQuotaIgnored, "RAM creates users beyond the account's quota"},
	{FaultEDSDuplicateCreated, "eds-user creates a taken or repeated EndUserId instead of failing it"},
	{FaultBastionhostDuplicateAllowed, "Bastionhost accepts a user name the instance already has"},
	{FaultBastionhostNoThrottle, "Bastionhost never throttles"},
	{FaultThrottle429, "throttling answers HTTP 429 instead of 400"},
	{FaultThrottleShared, "Bastionhost's call window is shared by every account"},
	{FaultLowercaseRequestID, "RequestIds are lower-case"},
	{FaultUserIDNumber, "RAM's User.UserId is a JSON number"},
	{FaultWrongContentType, "answers carry Content-Type text/plain"},
	{FaultFormatXMLIgnored, "Format=XML is answered in JSON"},
	{FaultSignatureUnchecked, "a signature that does not match is accepted"},
	{FaultTimestampUnchecked, "an expired timestamp is accepted"},
	{FaultNonceUnchecked, "a reused signature nonce is accepted"},
	{FaultErrorNoRequestID, "error envelopes carry no RequestId"},
	{FaultServerErrorOnLongComment, "a RAM Comments of 100 characters or more gets HTTP 500"},
	{FaultCaseInsensitivePatterns, "character classes ignore case: an upper-case eds-user EndUserId passes, and a password's letters count as upper and lower case"},
	{FaultEDSVanishedUser, "eds-user CreateUsers leaves the last created user out of both CreatedUsers and FailedUsers"},
	{FaultBastionhostUniquePerAccount, "Bastionhost user names are unique across all of an account's instances, not per instance"},
	{FaultHangOnQ, "a UserName or EndUserId containing the letter q hangs about 20 s (until shutdown or the client leaves)"},
	{FaultThrottleHalfRate, "Bastionhost throttles above 5 calls per second per account instead of 10"},
	{FaultThrottleSticky, "once an account is throttled, every later Bastionhost call of it is throttled"},
	{FaultTrickledBody, "every answer's body is written one byte per 100 ms (until the write deadline, shutdown or the client leaves)"},
}

// Faults returns every fault name Options.Faults accepts, sorted: the rule
// IDs of the rule tables (the rule is skipped) and the behavioural faults.
func Faults() []string {
	names := ruleFaults()
	for _, f := range behaviourFaults {
		names = append(names, f.name)
	}
	slices.Sort(names)
	return names
}

// ruleFaults are the names of every rule-table entry, in table order.
func ruleFaults() []string {
	var names []string
	for _, table := range [][]rule{ramRules, edsRequestRules, bastionhostRules} {
		for _, r := range table {
			names = append(names, r.name)
		}
	}
	for _, r := range edsUserRules {
		names = append(names, r.name)
	}
	return names
}

// FaultDescription says what the named fault breaks; "" for an unknown name.
func FaultDescription(name string) string {
	for _, f := range behaviourFaults {
		if f.name == name {
			return f.breaks
		}
	}
	if slices.Contains(Faults(), name) {
		return "rule " + name + " is not applied"
	}
	return ""
}

// CheckFaults returns an error naming every unknown fault in names.
func CheckFaults(names []string) error {
	known := Faults()
	var unknown []string
	for _, n := range names {
		if !slices.Contains(known, n) {
			unknown = append(unknown, fmt.Sprintf("%q", n))
		}
	}
	if len(unknown) > 0 {
		return fmt.Errorf("unknown fault %s (acsconform serve --list-faults lists them)", strings.Join(unknown, ", "))
	}
	return nil
}

// faultSet is the faults an emulator runs with.
type faultSet map[string]bool

// newFaultSet returns the set of names; the caller checked them.
func newFaultSet(names []string) faultSet {
	set := make(faultSet, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}

// has reports whether the named fault is switched on.
func (f faultSet) has(name string) bool { return f[name] }
