package main

import (
	"context"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/specs"
)

// TestMutantsCaught runs a handful of representative faults through the
// suite, restricted to the operation and check that should catch each, and
// the clean emulator through the same runs: the fault fails that check,
// the clean emulator fails none.
func TestMutantsCaught(t *testing.T) {
	tests := []struct {
		fault, op, check, reason string
	}{
		{"ram.UserName.max-length", "ram", "negative-rejection", "a 65-character RAM user name is accepted"},
		{"ram-duplicate-allowed", "ram", "duplicate-rejected", "a second create of one RAM name is accepted"},
		{"lowercase-request-id", "ram", "request-id", "RequestIds are not upper-case UUIDs"},
		{"throttle-429", "bastionhost", "rate-limit-enforced", "a burst is throttled with HTTP 429, not 400"},
	}
	ctx := context.Background()
	for _, tt := range tests {
		opts := suiteOptions(1, 3, []string{tt.op})
		opts.Checks = regexp.MustCompile("^" + tt.check + "$")
		for _, faults := range [][]string{nil, {tt.fault}} {
			m, err := mutantRun(ctx, faults, defaultMutationTimeout, opts)
			if err != nil {
				t.Fatalf("%s: %v", tt.fault, err)
			}
			failed := append(m.failed, m.errored...)
			want := []string(nil)
			if faults != nil {
				want = []string{tt.op + "/" + tt.check}
			}
			if !slices.Equal(failed, want) {
				t.Errorf("%s (%s), faults %v: failed checks %v, want %v", tt.fault, tt.reason, faults, failed, want)
			}
		}
	}
}

// TestMutationKeepsFullStrength: the gate gives a rate-limited operation
// as many cases as the others, not the default fifth.
func TestMutationKeepsFullStrength(t *testing.T) {
	opts := suiteOptions(1, 10, nil)
	if opts.Examples != 10 || opts.PacedExamples != 10 {
		t.Errorf("examples %d, paced examples %d: want 10 and 10", opts.Examples, opts.PacedExamples)
	}
}

// TestFaultOps runs a rule fault against its operation alone and a
// behavioural fault against every operation.
func TestFaultOps(t *testing.T) {
	m, err := specs.Load()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		fault  string
		want   []string
		reason string
	}{
		{"ram.UserName.max-length", []string{"ram"}, "a RAM rule ID"},
		{"eds-user.Users[].EndUserId.pattern", []string{"eds-user"}, "an eds-user per-user rule ID"},
		{"bastionhost.Source.enum", []string{"bastionhost"}, "a Bastionhost rule ID"},
		{"ram-duplicate-allowed", nil, "a behavioural fault, though named after RAM, is run against all"},
		{"throttle-429", nil, "a behavioural fault"},
	}
	for _, tt := range tests {
		if got := faultOps(m, tt.fault); !slices.Equal(got, tt.want) {
			t.Errorf("faultOps(%q) = %v, want %v (%s)", tt.fault, got, tt.want, tt.reason)
		}
	}
}

// TestLaunchOrder starts the behavioural faults' runs (every operation)
// before the rule faults' (one operation), each group in its given order.
func TestLaunchOrder(t *testing.T) {
	m, err := specs.Load()
	if err != nil {
		t.Fatal(err)
	}
	faults := []string{"ram.UserName.max-length", "hang-on-q", "bastionhost.Source.enum", "throttle-429", "trickled-body"}
	if got, want := launchOrder(m, faults), []int{1, 3, 4, 0, 2}; !slices.Equal(got, want) {
		t.Errorf("launchOrder(%v) = %v, want %v", faults, got, want)
	}
}

// TestMutationBadFlags answers bad input with one line on stderr and exit 2.
func TestMutationBadFlags(t *testing.T) {
	tests := []struct {
		args   []string
		reason string
	}{
		{[]string{"--faults", "("}, "a regexp that does not compile"},
		{[]string{"--faults", "^no-such-fault$"}, "a regexp matching no fault"},
		{[]string{"--examples", "0"}, "no examples"},
		{[]string{"--control-seeds", "0"}, "no control run"},
		{[]string{"--parallel", "0"}, "nothing at once"},
		{[]string{"--min-caught", "-1"}, "a negative minimum"},
		{[]string{"--timeout", "0s"}, "no exchange timeout"},
		{[]string{"--max-time", "-1s"}, "a negative time budget"},
		{[]string{"--bogus"}, "an unknown flag"},
		{[]string{"now"}, "a stray argument"},
	}
	for _, tt := range tests {
		var out, errOut strings.Builder
		code := mutationWith(context.Background(), tt.args, &out, &errOut)
		if code != exitUsage || strings.Count(errOut.String(), "\n") != 1 || out.Len() != 0 {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and one line on stderr", tt.reason, code, out.String(), errOut.String(), exitUsage)
		}
	}
	var out strings.Builder
	if code := mutationWith(context.Background(), []string{"-h"}, &out, io.Discard); code != exitOK || !strings.Contains(out.String(), "--control-seeds") {
		t.Errorf("-h: exit %d, stdout %q", code, out.String())
	}
}

// TestPrintMutants shows each fault's verdict and failed checks, and the total.
func TestPrintMutants(t *testing.T) {
	var out strings.Builder
	printMutants(&out, []mutant{
		{fault: "throttle-429", failed: []string{"bastionhost/rate-limit-enforced"}},
		{fault: "hang-on-q", errored: []string{"ram/positive-acceptance"}},
		{fault: "ram.Email.format"},
	})
	for _, want := range []string{
		`(?m)^throttle-429 +caught +throttling answers HTTP 429 instead of 400 +bastionhost/rate-limit-enforced$`,
		`(?m)^ram\.Email\.format +SURVIVED +rule ram\.Email\.format is not applied *$`,
		`(?m)^hang-on-q +caught +.* +ram/positive-acceptance \(errored\)$`,
		`(?m)^caught 2 of 3 faults \(1 survived\)$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("output does not match %q:\n%s", want, out.String())
		}
	}
}

// TestMutationMinCaught runs the gate end to end once: one control seed,
// one fault caught, --min-caught 1: exit 0, the control passing. Exit 1
// for too few caught and for a failed control is gateVerdict's, which
// mutationWith returns as it is (TestGateVerdict): a second full run with
// --min-caught 2 (the control and the fault again) proved nothing more.
func TestMutationMinCaught(t *testing.T) {
	args := []string{"--faults", `^ram\.UserName\.max-length$`, "--control-seeds", "1", "--examples", "2", "--parallel", "1", "--min-caught", "1"}
	var out strings.Builder
	code := mutationWith(context.Background(), args, &out, io.Discard)
	if code != exitOK || !strings.Contains(out.String(), "caught 1 of 1 faults") || strings.Contains(out.String(), "CONTROL FAILED") || strings.Contains(out.String(), "TOO FEW") {
		t.Errorf("--min-caught 1: exit %d, want %d; stdout:\n%s", code, exitOK, out.String())
	}
}

// TestGateVerdict exits 1 when fewer faults are caught than --min-caught
// asks or the control failed or errored a check, 0 otherwise.
func TestGateVerdict(t *testing.T) {
	one := []mutant{{fault: "ram.UserName.max-length", failed: []string{"ram/negative-rejection"}}, {fault: "ram.Email.format"}}
	tests := []struct {
		reason    string
		control   []string
		minCaught int
		code      int
		says      []string
	}{
		{"enough caught, a clean control", nil, 1, exitOK, []string{"caught 1 of 2 faults (1 survived)"}},
		{"fewer caught than --min-caught", nil, 2, exitFindings, []string{"TOO FEW CAUGHT: 1 faults caught, --min-caught is 2"}},
		{"a false alarm of the control", []string{"seed 3: ram/request-id (errored)"}, 1, exitFindings,
			[]string{"CONTROL FAILED: the clean emulator failed or errored seed 3: ram/request-id (errored) (a false alarm of the suite)"}},
		{"both", []string{"seed 1: eds-user/no-server-error"}, 2, exitFindings, []string{"CONTROL FAILED", "TOO FEW CAUGHT"}},
	}
	for _, tt := range tests {
		var out strings.Builder
		code := gateVerdict(&out, tt.control, one, tt.minCaught)
		if code != tt.code {
			t.Errorf("%s: exit %d, want %d:\n%s", tt.reason, code, tt.code, out.String())
		}
		for _, want := range tt.says {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s: stdout lacks %q:\n%s", tt.reason, want, out.String())
			}
		}
		if tt.code == exitOK && (strings.Contains(out.String(), "CONTROL FAILED") || strings.Contains(out.String(), "TOO FEW")) {
			t.Errorf("%s: a passing gate prints a failure:\n%s", tt.reason, out.String())
		}
	}
}
