// Package emulator is the reference emulator of the three "create user"
// operations acsconform tests: RAM CreateUser (2015-05-01), Elastic Desktop
// Service eds-user CreateUsers (2021-03-08) and Bastionhost CreateUser
// (2019-12-09).
//
// It is written by hand from the official documents and imports nothing of
// the suite (standard library only), so that the suite's verdict on it is an
// independent cross-check. It speaks the real wire protocol: RPC requests by
// POST or GET with parameters in the query and in a form body, V3
// (ACS3-HMAC-SHA256) and V1 (HMAC-SHA1) signatures verified against the
// configured accounts, JSON or XML responses and the gateway's error
// envelope.
//
// Each documented rule lives in one named place: a rule table per operation
// (ramRules, bastionhostRules, edsUserRules) and the gateway checks in
// auth.go, so that a fault-injection switch can later break exactly one.
//
// Readings of the ambiguous places (each also recorded in specs/README.md):
//   - lengths count characters (runes), not bytes;
//   - an optional parameter sent empty counts as not sent; a required one
//     sent empty counts as missing;
//   - a repeated key: the first occurrence wins, query before form body;
//   - when several rules are broken the first in document order wins;
//   - Bastionhost throttling is checked after authentication and before
//     validation, and every call that is not throttled counts, invalid ones
//     included.
package emulator
