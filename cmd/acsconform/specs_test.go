package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"
)

func TestCmdSpecs(t *testing.T) {
	for _, c := range []struct {
		args       []string
		code       int
		stdout     string // a substring of stdout
		stderrLine bool   // exactly one line on stderr
		reason     string
	}{
		{nil, exitOK, "ram.UserName.max-length", false, "every operation by default"},
		{[]string{"--op", "bastionhost"}, exitOK, "bastionhost.rate-limit", false, "one operation"},
		{[]string{"--op", "eds-user"}, exitOK, "eds-user.invalid-user-outcome", false, "ambiguities are listed"},
		{[]string{"-h"}, exitOK, "usage: acsconform specs", false, "help is not an error"},
		{[]string{"--op", "nope"}, exitUsage, "", true, "an unknown operation is a usage error"},
		{[]string{"--bogus"}, exitUsage, "", true, "an unknown flag is a usage error"},
		{[]string{"extra"}, exitUsage, "", true, "no positional arguments"},
	} {
		var out, errOut bytes.Buffer
		code := dispatch(append([]string{"specs"}, c.args...), &out, &errOut)
		assert.Check(t, is.Equal(code, c.code), c.reason)
		assert.Check(t, is.Contains(out.String(), c.stdout), c.reason)
		if c.stderrLine {
			assert.Check(t, is.Equal(strings.Count(errOut.String(), "\n"), 1), "%s: %q", c.reason, errOut.String())
		} else {
			assert.Check(t, is.Equal(errOut.String(), ""), c.reason)
		}
	}
}

func TestCmdSpecsJSON(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, dispatch([]string{"specs", "--json", "--op", "ram"}, &out, &errOut), exitOK)
	var got struct {
		Operations []struct {
			ID    string
			Rules []struct{ ID string }
		}
	}
	assert.NilError(t, json.Unmarshal(out.Bytes(), &got))
	assert.Assert(t, is.Len(got.Operations, 1))
	assert.Check(t, is.Equal(got.Operations[0].ID, "ram"))
	assert.Check(t, len(got.Operations[0].Rules) > 0, "the rules are listed")
	assert.Check(t, !strings.Contains(out.String(), "zhangqiang"), "no example values are printed")
}
