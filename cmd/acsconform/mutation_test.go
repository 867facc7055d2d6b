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
			failed, err := mutantFailures(ctx, faults, opts)
			if err != nil {
				t.Fatalf("%s: %v", tt.fault, err)
			}
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
		{"throttle-429", []string{"bastionhost/rate-limit-enforced"}},
		{"ram.Email.format", nil},
	})
	for _, want := range []string{
		`(?m)^throttle-429 +caught +throttling answers HTTP 429 instead of 400 +bastionhost/rate-limit-enforced$`,
		`(?m)^ram\.Email\.format +SURVIVED +rule ram\.Email\.format is not applied *$`,
		`(?m)^caught 1 of 2 faults \(1 survived\)$`,
	} {
		if !regexp.MustCompile(want).MatchString(out.String()) {
			t.Errorf("output does not match %q:\n%s", want, out.String())
		}
	}
}
