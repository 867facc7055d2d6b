// Package oracle says what the docs allow a target to answer. Given an
// operation of the specs model, a request and a model of the target's state
// (names taken per account or instance, users created, declared quota, known
// instances), Judge returns a Verdict: the rules the request surely breaks,
// the rules it may break under one reading of an ambiguous doc, and the set
// of answers (accept, or (HTTP status, Code) pairs, or per-element batch
// failures) a conformant target may give.
//
// The oracle is pure: no I/O, no clock, no randomness. Every limit, pattern,
// enum value and error code it uses comes from the specs model; the only
// numbers written here are the generic size policy (UndocumentedLength,
// UndocumentedBatch) for inputs the docs do not bound.
//
// Rate limits are not judged by Judge (a single request cannot break them);
// Throttles, ThrottleOutcomes and IsThrottle help the checks that measure them.
package oracle
