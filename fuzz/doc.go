// Package fuzz generates requests from the specs model alone, on
// pgregory.net/rapid: valid requests (Valid) that keep every documented
// rule, invalid ones (Invalid, InvalidFor) that break exactly one rule each
// and carry the outcomes the spec documents for it, boundary values
// (Boundary), chaos inputs from sigs.k8s.io/randfill (Chaos), and stateful
// sequences (Sequence). Cases and Shrink run them deterministically by seed
// outside go test. No operation's limit, pattern, enum value or error code
// is written here: changing a spec changes what is generated.
package fuzz
