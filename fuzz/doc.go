// Package fuzz generates requests from the specs model alone, on
// pgregory.net/rapid: valid requests (Valid) that keep every documented
// rule, invalid ones (Invalid, InvalidFor) that break exactly one rule each
// and name it, boundary values (Boundary), chaos inputs from
// sigs.k8s.io/randfill (Chaos), and the case plans the checks need
// (Planner: one stateful generator of every plan's sequences, the
// candidates a finding is shrunk over, and the fitting of a request to
// the target). Planner and Shrink run deterministically by seed outside go
// test; every per-case seed comes from DrawSeed. No operation's limit,
// pattern, enum value or error code is written here: changing a spec
// changes what is generated.
package fuzz
