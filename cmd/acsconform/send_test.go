package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/emulator"
)

// sendCLI runs 'acsconform send args...' in-process.
func sendCLI(t *testing.T, env func(string) string, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := sendWith(context.Background(), args, env, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// gatewayCodes are the emulator's answers to a badly signed request.
var gatewayCodes = []string{"IncompleteSignature", "SignatureDoesNotMatch", "InvalidAccessKeyId", "InvalidTimeStamp", "SignatureNonceUsed"}

func TestSendCurlLineReproducesWithCurl(t *testing.T) {
	if _, err := exec.LookPath("curl"); err != nil {
		t.Fatalf("this test pastes the printed line into curl, which is not installed (apt-get install curl): %v", err)
	}
	srv := httptest.NewServer(emulator.New(emulator.Options{Accounts: map[string]string{"LTAIsend": "s3c"}}))
	defer srv.Close()
	rows := []struct{ reason, sig, op, param, after string }{
		{"V3, parameters in the query", "v3", "ram", "UserName=sendv3", "EntityAlreadyExists.User"},
		{"V1, signature in the query", "v1", "ram", "UserName=sendv1", "EntityAlreadyExists.User"},
		{"V3, a form body", "v3", "eds-user", "Users.1.EndUserId=sendv3", "RequestId"},
		{"V1, a form body", "v1", "eds-user", "Users.1.EndUserId=sendv1", "RequestId"},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			code, stdout, stderr := sendCLI(t, noEnv, "--op", row.op, "--target", srv.URL, "--account", "LTAIsend:s3c", "--signature", row.sig, row.param)
			assert.Equal(t, code, exitOK, stdout+stderr)
			var line string
			for _, l := range strings.Split(stdout, "\n") {
				if strings.HasPrefix(l, "curl ") {
					line = l
				}
			}
			assert.Assert(t, line != "", stdout)
			assert.Assert(t, !strings.Contains(line, "s3c") && !strings.Contains(line, "<redacted>"), line)
			out, err := exec.Command("sh", "-c", line).CombinedOutput()
			assert.NilError(t, err, string(out))
			for _, code := range gatewayCodes {
				assert.Assert(t, !strings.Contains(string(out), code), "the pasted line was refused: %s\n%s", out, line)
			}
			// send created the user already: the paste reaches the operation and
			// gets its answer to a second create.
			assert.Assert(t, strings.Contains(string(out), row.after), "%s\n%s", out, line)
		})
	}
}

func TestSendRedactsSuppliedSecretsAndRefusesBadInput(t *testing.T) {
	srv := httptest.NewServer(emulator.New(emulator.Options{Accounts: map[string]string{"LTAIsend": "s3c"}}))
	defer srv.Close()
	code, stdout, stderr := sendCLI(t, noEnv, "--op", "bastionhost", "--target", srv.URL, "--account", "LTAIsend:s3c",
		"InstanceId=bastionhost-cn-emulator01", "Source=Local", "UserName=bob", "Password=Pw9!x")
	assert.Equal(t, code, exitOK, stdout+stderr)
	assert.Assert(t, !strings.Contains(stdout+stderr, "Pw9") && !strings.Contains(stdout+stderr, "s3c"), stdout)
	assert.Assert(t, strings.Contains(stdout, "Password=<redacted>"), stdout)
	for _, args := range [][]string{
		{"--op", "ecs", "--target", srv.URL, "--account", "a:b"},
		{"--op", "ram", "--account", "a:b"},
		{"--op", "ram", "--target", "http://u:p@127.0.0.1:1", "--account", "a:b"},
		{"--op", "ram", "--target", srv.URL, "--account", "a:b", "--signature", "v2"},
		{"--op", "ram", "--target", srv.URL},
		{"--op", "ram", "--target", srv.URL, "--account", "a:b", "novalue"},
	} {
		code, _, stderr := sendCLI(t, noEnv, args...)
		assert.Equal(t, code, exitUsage, "%v: %s", args, stderr)
		assert.Assert(t, strings.HasPrefix(stderr, "acsconform send: ") && strings.Count(strings.TrimSpace(stderr), "\n") == 0, stderr)
	}
}
