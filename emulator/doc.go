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
// envelope. Each AccessKeyId is an account with its own users.
//
// Each documented rule lives in one named place: the rule tables ramRules,
// edsUserRules, edsRequestRules and bastionhostRules (entries named by the
// specs' rule IDs) and the gateway checks in auth.go, so that a
// fault-injection switch can break exactly one.
//
// Options.Faults switches on named fault injections, for proving a
// conformance suite (acsconform's 'make mutation'): a rule ID skips that
// table rule, and each behavioural fault (the Fault* constants; Faults
// lists every name) breaks one documented behaviour, such as uniqueness,
// the quota, throttling or the RequestId form. Some make a hostile target:
// hang-on-q holds a request, trickled-body writes one byte per 100 ms;
// both end at the request's cancellation or Emulator.Shutdown (which
// Server.Close calls), so no handler outlives its server.
//
// Memory is bounded under any traffic: an account remembers its users as
// 64-bit keyed hashes of their names (keyer; about 20 bytes a user, no
// record: answers are built from the request), up to a quota per account
// (RAM, eds-user) or instance (Bastionhost); signature nonces are
// remembered as such hashes while a request carrying them can pass the
// timestamp check (MaxClockSkew after its timestamp), at most 2^19 of them;
// bodies are read up to 1 MiB.
//
// Readings of the places the documents leave open (the specs record each
// ambiguity and accept every reading):
//   - lengths count characters (runes), not bytes;
//   - an optional parameter sent empty counts as not sent; a required one
//     sent empty counts as missing (Missing<Name>);
//   - a repeated key: the first occurrence wins, query before form body;
//     unknown parameters are ignored;
//   - when several rules are broken the first in document order wins;
//   - an email address is text, one @, text, without spaces; a RAM
//     MobilePhone is digits, a hyphen, digits;
//   - eds-user: any invalid user rejects the whole request (400
//     INTERNAL_ERROR naming the parameter); the top-level Password follows
//     the per-user password rule; a password holds no space; a batch holds
//     at most 100 users, indexed 1..N without gaps; AutoLockTime is a
//     yyyy-mm-dd date; an account holds at most Options.EDSUserQuota users
//     (a bound on memory: the seed states none), and a batch whose new
//     users would pass it is refused whole with 400 INTERNAL_ERROR;
//   - Bastionhost: Source matches case-insensitively; the instances' global
//     two-factor setting names no method; TwoFactorMethods holds at most one
//     method, exactly one with Enable; an unknown InstanceId is 400
//     InvalidParameter; a special character is printable ASCII other than
//     letters, digits and space; an instance holds at most
//     Options.BastionhostUserQuota users (a bound on memory: the seed
//     states none), beyond which a create is 400 InvalidParameter (100000
//     by default: at the documented 10 calls a second an account, hours of
//     traffic on one instance);
//   - Bastionhost throttling is checked after authentication and before
//     validation, and every call that is not throttled counts, invalid ones
//     included; no other operation is rate limited.
package emulator
