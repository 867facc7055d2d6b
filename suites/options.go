package suites

import (
	"io"
	"regexp"
	"time"

	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Options tune a run. The zero value is the default described per field.
type Options struct {
	// Seed derives every generated case; 0 means seed 1.
	Seed int64
	// Examples is the number of generated cases per case plan and
	// operation; 0 means 50. An operation with a documented rate limit
	// takes PacedExamples instead.
	Examples int
	// PacedExamples is the number of generated cases per case plan of an
	// operation with a documented rate limit, whose traffic is paced (a
	// run's time is bound by it); 0 means a fifth of Examples, rounded up
	// (DefaultPacedExamples).
	PacedExamples int
	// Workers is the number of case sequences sent at once per operation;
	// 0 means 4. An operation with a rate limit uses at least one per
	// account, its traffic being paced per account. It changes scheduling
	// only, never the cases or the findings.
	Workers int
	// Ops selects operations by ID ("ram", "eds-user", "bastionhost");
	// empty means all of them.
	Ops []string
	// Checks selects checks whose ID matches; nil means all checks.
	Checks *regexp.Regexp
	// Signatures are the signature versions requests alternate between;
	// empty means V3 and V1 (the default run exercises both).
	Signatures []wire.Signature
	// Declared are what the target declares about itself for the rules
	// that need it (its existing instances, its user quota); the checks
	// that need an undeclared fact are skipped with the reason.
	Declared specs.Declarations
	// Strict makes warnings (disagreements on ambiguous rules) fail.
	Strict bool
	// RequireAll makes Run fail, not skip, a check whose precondition the
	// caller did not declare (a second account, the user quota, an
	// existing instance, signature checking): a gate that must run every
	// check. Execute ignores it; the result still says skipped.
	RequireAll bool
	// MaxFindings bounds the findings kept per check and operation; 0
	// means 20. The rest are counted in CheckResult.Dropped.
	MaxFindings int
	// Progress receives one line per finished check and, every
	// ProgressEvery, a line with the exchanges so far, the rate and the
	// time left; nil means none.
	Progress io.Writer
	// ProgressEvery is how often the running count is written; 0 means
	// every 10 seconds.
	ProgressEvery time.Duration
	// ProgressLive writes the running count as one line rewritten in
	// place (a terminal); false writes a line each time (a log).
	ProgressLive bool
	// Tool is the acsconform version written into the result; "" means "dev".
	Tool string
	// TargetName names the target in the result; "" means the target URL.
	TargetName string
	// Replay is the command prefix findings use to replay themselves,
	// e.g. "acsconform run --target http://host"; "" means "acsconform run"
	// followed by --target when the target has a URL.
	Replay string
	// ReplayReport is the JSON report the run writes: every finding's
	// Command is then the line that replays it from that report
	// ("acsconform replay REPORT --finding ID"); "" keeps the Replay line.
	ReplayReport string
	// Nonce is mixed into every generated unique name (user names) so that
	// a rerun against a long-lived target does not collide with the names
	// of earlier runs; "" means names depend on the seed alone. It never
	// changes a verdict.
	Nonce string
	// MaxTime bounds the run's wall time: when it is reached, nothing more
	// is sent, what came back is judged, and the checks cut short are
	// errored; 0 means a budget derived from the plan (a minute over three
	// times the expected duration), printed at the start.
	MaxTime time.Duration
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Shard runs one deterministic part of the cases (see Shard); the
	// zero value runs them all.
	Shard Shard

	// Shrink replaces the first finding of each check, when a generated
	// single request (the valid or invalid-by-one-rule cases) produced
	// it, by a minimal request failing the same check on the same rule
	// (Finding.Shrunk says by how much). Candidates come from the case's
	// generator, seeded by the run's seed, with fresh unique names, and go
	// out after the operation's ordinary traffic, signed and formatted as
	// the original: the same seed gives the same reproducer whatever
	// Workers. false (the zero value) keeps findings as found; the CLI
	// shrinks by default.
	Shrink bool
	// ShrinkAttempts bounds the requests sent to shrink one finding; 0
	// means 100.
	ShrinkAttempts int
	// ShrinkBudget bounds the shrinking requests of the whole run, shared
	// out equally among the selected operations; 0 means 1500. A replay of
	// one check gets the whole budget, so it may shrink further than the
	// run did when the run's share ran out.
	ShrinkBudget int
	// ShrinkTime bounds the time spent shrinking one finding, from its
	// first request; 0 means 20 seconds. A finding whose shrinking hits it
	// keeps the smallest reproducer found by then, which may then depend
	// on the target's speed.
	ShrinkTime time.Duration
}

const (
	defaultSeed        = 1
	defaultExamples    = 50
	defaultWorkers     = 4
	defaultMaxFindings = 20

	defaultProgressEvery = 10 * time.Second

	defaultShrinkAttempts = 100
	defaultShrinkTime     = 20 * time.Second
)

// DefaultShrinkBudget is the ShrinkBudget of a zero Options.
const DefaultShrinkBudget = 1500

// DefaultPacedExamples is the PacedExamples of a run of that many
// Examples: a fifth of them, rounded up (10 of a default run's 50), as the
// stateful plans take a fifth. A paced operation's time is its request
// count over its accounts' documented rate: Bastionhost's fixed plans
// (boundary, conditional, signature, rate limit) already take about 230
// requests, 13 s over two accounts; its invalid plan still breaks every
// rule a single request can break.
func DefaultPacedExamples(examples int) int { return (examples + 4) / 5 }

// examplesFor is the number of generated cases per case plan of op:
// PacedExamples when op is paced, Examples otherwise. o has its defaults.
func (o Options) examplesFor(op *specs.Operation) int {
	if paced(op) {
		return o.PacedExamples
	}
	return o.Examples
}

// paced reports whether op's traffic is paced under a documented rate
// limit, so that it takes Options.PacedExamples.
func paced(op *specs.Operation) bool {
	_, ok := runner.PacedInterval(op)
	return ok
}

// withDefaults returns o with every zero field replaced by its default.
func (o Options) withDefaults() Options {
	if o.Seed == 0 {
		o.Seed = defaultSeed
	}
	if o.Examples <= 0 {
		o.Examples = defaultExamples
	}
	if o.PacedExamples <= 0 {
		o.PacedExamples = DefaultPacedExamples(o.Examples)
	}
	if o.Workers <= 0 {
		o.Workers = defaultWorkers
	}
	if len(o.Signatures) == 0 {
		o.Signatures = []wire.Signature{wire.SignV3, wire.SignV1}
	}
	if o.MaxFindings <= 0 {
		o.MaxFindings = defaultMaxFindings
	}
	if o.Tool == "" {
		o.Tool = "dev"
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.ProgressEvery <= 0 {
		o.ProgressEvery = defaultProgressEvery
	}
	if o.ShrinkAttempts <= 0 {
		o.ShrinkAttempts = defaultShrinkAttempts
	}
	if o.ShrinkBudget <= 0 {
		o.ShrinkBudget = DefaultShrinkBudget
	}
	if o.ShrinkTime <= 0 {
		o.ShrinkTime = defaultShrinkTime
	}
	return o
}
