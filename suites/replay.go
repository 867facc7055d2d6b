package suites

import (
	"strconv"
	"strings"

	"github.com/acsconform/acsconform/specs"
)

// itoa is strconv.Itoa, short.
func itoa(n int) string { return strconv.Itoa(n) }

// replayPrefix is the command that starts a replay: Options.Replay, or
// "acsconform run" naming the target's URL.
func (e *engine) replayPrefix() string {
	if e.opts.Replay != "" {
		return e.opts.Replay
	}
	if e.target.URL != "" {
		return "acsconform run --target " + shellQuote(e.target.URL)
	}
	return "acsconform run"
}

// replay is the command line that reruns one check on one operation with
// this run's seed and size: the same cases, so the same findings.
func (e *engine) replay(c *Check, op *specs.Operation) string {
	return e.replayPrefix() + " --ops " + op.ID + " --checks " + shellQuote("^"+c.ID+"$") + e.sizeFlags()
}

// command is the command line that reruns the whole run.
func (e *engine) command() string {
	s := e.replayPrefix()
	if len(e.opts.Ops) > 0 {
		s += " --ops " + strings.Join(e.opts.Ops, ",")
	}
	if e.opts.Checks != nil {
		s += " --checks " + shellQuote(e.opts.Checks.String())
	}
	return s + e.sizeFlags()
}

// sizeFlags are the flags that fix the generated cases; --paced-examples
// only when it is not the default derived from --examples, so that the
// lines of a run at the default stay as they were.
func (e *engine) sizeFlags() string {
	s := " --seed " + strconv.FormatInt(e.opts.Seed, 10) + " --examples " + itoa(e.opts.Examples)
	if e.opts.PacedExamples != DefaultPacedExamples(e.opts.Examples) {
		s += " --paced-examples " + itoa(e.opts.PacedExamples)
	}
	if len(e.opts.Signatures) == 1 {
		s += " --signature " + string(e.opts.Signatures[0])
	}
	return s + e.shardFlag()
}

// targetName names the target in the result.
func (e *engine) targetName() string {
	if e.opts.TargetName != "" {
		return e.opts.TargetName
	}
	return e.target.URL
}

// shellQuote quotes s for a POSIX shell when it needs quoting.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, needsQuote) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// needsQuote reports whether r is special to a shell.
func needsQuote(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("-_./:=,@%+", r)
}
