// Package specs holds the machine-readable specs of the three operations
// acsconform tests (RAM CreateUser, eds-user CreateUsers, Bastionhost
// CreateUser) and the model the rest of the tool reads them through.
//
// The specs are OpenAPI 3.0.3 documents, one per product, embedded in the
// binary: ram.yaml, eds-user.yaml, bastionhost.yaml, plus common.yaml for
// what the gateway does for every operation. Standard keywords carry the
// standard constraints (type, format, minLength, maxLength, pattern, enum,
// maxItems, required, default, example); x-acs-* extensions carry the rest
// (wire style, seed quotes, allowed outcomes, conditional requirements,
// state rules, errors, the rate limit, ambiguities, references to the
// target's resources). statements.yaml traces each seed sentence by
// sentence to what encodes it (Operation.Statements). specs/README.md
// describes every extension and the statements table.
//
// Load validates each document with kin-openapi, checks every extension for
// consistency and builds a Model: Operations with their Params, Rules (each
// with a stable ID, the seed sentence it rests on and every outcome the docs
// allow when a request breaks it), Errors, RateLimit, Ambiguities and
// Response. Every number and pattern in the model comes from the documents:
// changing a document changes the model, and with it what the generators
// make and what the checks expect.
package specs
