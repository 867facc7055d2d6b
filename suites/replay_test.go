package suites

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/wire"
)

func TestShellQuote(t *testing.T) {
	rows := []struct{ reason, in, want string }{
		{"a plain word stays as is", "ram", "ram"},
		{"a URL with a port stays as is", "http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"a regexp with ^ and $ is quoted", "^no-server-error$", "'^no-server-error$'"},
		{"a single quote is closed, escaped and reopened", "it's", `'it'\''s'`},
		{"the empty string is quoted", "", "''"},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) { assert.Equal(t, shellQuote(row.in), row.want) })
	}
}

func TestReplayNamesTheCheckAndTheCases(t *testing.T) {
	ram := operation(t, "ram")
	rows := []struct {
		reason string
		target runner.Target
		opts   Options
		want   string
	}{
		{"an external target is named", runner.Target{URL: "http://h:1"}, Options{Seed: 3, Examples: 7},
			"acsconform run --target http://h:1 --ops ram --checks '^content-type$' --seed 3 --examples 7"},
		{"the replay prefix of the command line wins", runner.Target{URL: "http://h:1"}, Options{Seed: 3, Examples: 7, Replay: "acsconform run --target http://h:1 --ram-user-quota 5"},
			"acsconform run --target http://h:1 --ram-user-quota 5 --ops ram --checks '^content-type$' --seed 3 --examples 7"},
		{"a single signature version is kept", runner.Target{}, Options{Seed: 1, Examples: 50, Signatures: []wire.Signature{wire.SignV1}},
			"acsconform run --ops ram --checks '^content-type$' --seed 1 --examples 50 --signature v1"},
		{"the default paced number (a fifth of --examples, rounded up) is left out", runner.Target{}, Options{Seed: 1, Examples: 7, PacedExamples: 2},
			"acsconform run --ops ram --checks '^content-type$' --seed 1 --examples 7"},
		{"another paced number is kept", runner.Target{}, Options{Seed: 1, Examples: 7, PacedExamples: 7},
			"acsconform run --ops ram --checks '^content-type$' --seed 1 --examples 7 --paced-examples 7"},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			e := &engine{target: row.target, opts: row.opts.withDefaults()}
			assert.Equal(t, e.replay(lookupCheck("content-type"), ram), row.want)
		})
	}
}

func TestChecksHaveStableKebabIDs(t *testing.T) {
	kebab := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	seen := map[string]bool{}
	for _, c := range Checks() {
		assert.Assert(t, kebab.MatchString(c.ID), c.ID)
		assert.Assert(t, !seen[c.ID], "duplicate check %s", c.ID)
		assert.Assert(t, c.Summary != "" && len(c.plans) > 0 && c.judge != nil, c.ID)
		seen[c.ID] = true
	}
	assert.Assert(t, strings.Contains(strings.Join(keys(seen), " "), "no-server-error"))
}

// keys lists a set's members.
func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// TestRejudgeKeepsAStrictRunsStrictness: a finding --strict made of a
// warning (an answer the reference emulator gives under one reading) still
// fails when replayed against the same target, and names its ambiguities.
func TestRejudgeKeepsAStrictRunsStrictness(t *testing.T) {
	target := emulatorTarget(t, nil)
	res, err := Execute(context.Background(), target, Options{Seed: 1, Examples: 10, Ops: []string{"eds-user"},
		Checks: regexp.MustCompile(`^negative-rejection$`), Strict: true, Declared: emulatorDeclared()})
	assert.NilError(t, err)
	var strict *results.Finding
	for _, c := range res.Operations[0].Checks {
		for i := range c.Findings {
			if len(c.Findings[i].Ambiguities) > 0 && len(c.Findings[i].Exchanges) > 0 {
				strict = &c.Findings[i]
			}
		}
	}
	assert.Assert(t, strict != nil, "a strict run against the emulator must make findings of its readings' warnings")
	now, _, err := Rejudge(context.Background(), target, *strict, "strict-replay")
	assert.NilError(t, err)
	assert.Equal(t, now.Status, results.Failed, "the replayed warning must fail again: %+v", now.Warnings)
}
