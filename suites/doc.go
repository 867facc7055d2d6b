// Package suites holds acsconform's conformance checks and the engine that
// runs them against a target.
//
// Each check has a stable kebab-case ID (the JUnit test name and the
// --checks filter), decides from the specs model which operations it
// applies to, declares the preconditions a target must meet (a skip reason
// otherwise), names the case plans whose exchanges it judges, and judges
// them with a pure function: exchanges and the oracle's expectations in,
// findings out. Checks never send requests.
//
// With Options.Shrink, the engine then shrinks each check's first finding
// from a generated single request (fuzz.Shrink over the case's generator,
// the candidates judged by the same check): the finding shows the minimal
// failing request and Finding.Shrunk says by how much.
//
// Execute is the engine behind the command line; Run wraps it for go test so
// that an emulator project can gate its CI with three lines:
//
//	func TestConformance(t *testing.T) {
//		suites.Run(t, runner.Target{URL: srv.URL, Accounts: accts}, suites.Options{})
//	}
package suites
