// Package interop holds tests only: they hand acsconform's outputs to
// independent third-party tools, installed from npm at exact versions by
// 'make deps' into interop/node_modules, and check that the tools read them.
//
//   - JUnit reports: a failing run's report, XML response bodies in its
//     failure text, is rendered by junit-viewer 4.11.1 and xunit-viewer
//     10.6.1, which must parse it and show the failing checks.
//   - Exported specs ('acsconform specs --export'): Stoplight Prism 5.14.2
//     serves each document as a validating mock and must accept a valid
//     request and reject one request per broken rule (required, maxLength,
//     pattern, enum, and JSON-array strings).
//
// A missing tool fails the tests with the command that installs it; nothing
// is skipped. Every tool runs on loopback, bounded in time.
package interop
