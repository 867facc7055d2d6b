package runner

import (
	"context"
	"net/http"
	"os/exec"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/wire"
)

// shellWords runs the arguments of a curl command line through sh (no
// network: printf prints them) and returns the words sh sees.
func shellWords(t *testing.T, cmd string) []string {
	t.Helper()
	args, ok := strings.CutPrefix(cmd, "curl ")
	if !ok {
		t.Fatalf("not a curl command: %s", cmd)
	}
	out, err := exec.Command("sh", "-c", `printf '%s\0' `+args).Output()
	if err != nil {
		t.Fatalf("sh rejected the command: %v\n%s", err, cmd)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00")
}

func TestCurlQuoting(t *testing.T) {
	ex := Exchange{
		Method: "POST",
		URL:    "http://127.0.0.1:1/?Comments=it%27s%20%24HOME%20%60x%60&Signature=<redacted>",
		Header: http.Header{"X-Acs-Action": {"CreateUser"}, "X-Odd": {"a'b\"c\\d\nnext"}},
		Body:   `Users.1.Remark=o'clock & "quotes" $(id)`,
	}
	want := []string{"-sS", "-X", "POST",
		"http://127.0.0.1:1/?Comments=it%27s%20%24HOME%20%60x%60&Signature=" + SignaturePlaceholder,
		"-H", "X-Acs-Action: CreateUser", "-H", "X-Odd: a'b\"c\\d\nnext",
		"--data-raw", `Users.1.Remark=o'clock & "quotes" $(id)`}
	got := shellWords(t, Curl(ex))
	if strings.Join(got, "\x00") != strings.Join(want, "\x00") {
		t.Errorf("sh splits the curl command into\n%q\nwant\n%q", got, want)
	}
}

// TestCurlOfSend checks a real exchange: every request part is there, the
// signature is the placeholder, the secrets stay redacted.
func TestCurlOfSend(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	cases := []struct {
		reason   string
		op       string
		req      wire.Request
		password string // the secret key as the command shows it
	}{
		{"a generated password in a form body is test data, shown", "eds-user", edsRequest(), "Users.1.Password=" + wire.PercentEncode(userPassword)},
		{"a generated password in the query is test data, shown", "bastionhost", bastionhostRequest(), "&Password=" + wire.PercentEncode(queryPassword)},
	}
	for i, sig := range []wire.Signature{wire.SignV3, wire.SignV1, wire.SignV3, wire.SignV1} {
		tc := cases[i/2]
		ex := c.Send(context.Background(), testOperation(t, tc.op), tc.req, SendOptions{Signature: sig})
		words := shellWords(t, Curl(ex))
		got := rec.last(t)
		text := strings.Join(words, "\n")
		if !strings.Contains(text, "Signature="+SignaturePlaceholder) {
			t.Errorf("%s: no Signature=%s in\n%s", sig, SignaturePlaceholder, text)
		}
		if !strings.Contains(text, tc.password) {
			t.Errorf("%s (%s %s): no %s in\n%s", tc.reason, tc.op, sig, tc.password, text)
		}
		for _, h := range []string{"x-acs-action", "x-acs-version"} {
			if !strings.Contains(text, http.CanonicalHeaderKey(h)+": "+got.req.Header.Get(h)) {
				t.Errorf("%s: header %s missing from\n%s", sig, h, text)
			}
		}
		if sig == wire.SignV3 && !strings.Contains(text, "X-Acs-Signature-Nonce: "+got.req.Header.Get(headerNonce)) {
			t.Errorf("%s: the nonce that was signed is missing from\n%s", sig, text)
		}
		query, _ := wire.ParsePairs(got.req.URL.RawQuery, "query")
		for _, p := range query {
			if p.Key != paramSig && !strings.Contains(text, wire.PercentEncode(p.Key)+"="+wire.PercentEncode(p.Value)) {
				t.Errorf("%s: query pair %s=%s missing from\n%s", sig, p.Key, p.Value, text)
			}
		}
		if want := len(got.body) > 0; strings.Contains(text, "--data-raw") != want {
			t.Errorf("%s %s: --data-raw present is %v, want %v:\n%s", tc.op, sig, !want, want, text)
		}
	}
}
