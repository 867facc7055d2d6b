// Package runner talks to a target: it holds the target's endpoints and
// credentials, encodes and signs requests exactly as the official SDK does
// (V3 ACS3-HMAC-SHA256 or V1 HMAC-SHA1), sends them with bounded time and
// size, and returns exchanges. It judges nothing.
package runner

import (
	"net/http"
	"time"

	"github.com/acsconform/acsconform/wire"
)

// Account is one set of credentials of the target.
type Account struct {
	AccessKeyID     string
	AccessKeySecret string
}

// Target is an endpoint under test and what the user declares about it.
type Target struct {
	// URL is the base URL used for every operation without an Endpoints entry.
	URL string
	// Endpoints maps an operation ID ("ram", "eds-user", "bastionhost") or
	// product code to its own base URL.
	Endpoints map[string]string
	// Accounts are the credentials; the first is the default, a second
	// enables cross-account checks.
	Accounts []Account
	// Secrets are further values to redact wherever they appear, as the
	// AccessKeySecrets are: secrets a user supplies (a password passed to
	// 'acsconform send').
	Secrets []string
	// ChecksSignatures declares that the target verifies signatures.
	ChecksSignatures bool
	// Client sends the requests; nil means a client with Timeout.
	Client *http.Client
	// Timeout bounds each exchange; 0 means 10s.
	Timeout time.Duration
}

// Exchange is one request sent and what came back. Everything the target
// did wrong is in it (a transport error included); it never carries
// secrets: signatures, AccessKeySecrets and Target.Secrets are redacted
// (Redact). Generated test data, passwords included, is kept.
type Exchange struct {
	// Method, URL, Header and Body of the request as sent, redacted.
	Method string
	URL    string
	Header http.Header
	Body   string
	// Signature is the version used to sign; Nonce the signature nonce it
	// carried ("" when unsigned), for a later request that reuses it.
	Signature wire.Signature
	Nonce     string
	// Status is the HTTP status; 0 when no response arrived.
	Status int
	// RespHeader and RespBody are the response (the body bounded in size).
	RespHeader http.Header
	RespBody   []byte
	// Err describes a transport failure (timeout, reset, truncated body).
	Err string
	// Duration is the time from sending to the end of the body.
	Duration time.Duration
}
