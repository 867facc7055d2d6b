package runner

import (
	"testing"

	"github.com/acsconform/acsconform/wire"
)

func TestScrubberRemovesSecretsOnly(t *testing.T) {
	bh := testOperation(t, "bastionhost")
	r := wire.Request{Op: "bastionhost", Params: map[string]string{"UserName": "alice_1", "Password": "Pa55w0rd!x"}}
	s := NewScrubber("AccessKeySecretValue").With(bh, r)
	rows := []struct{ reason, in, want string }{
		{"an account secret is removed", "echo AccessKeySecretValue", "echo " + Redacted},
		{"a password sent is removed", `{"Message":"bad Pa55w0rd!x"}`, `{"Message":"bad ` + Redacted + `"}`},
		{"a password percent-encoded is removed", "Password=Pa55w0rd%21x", "Password=" + Redacted},
		{"a V3 signature echoed is removed", "Credential=AK,Signature=abc123", "Credential=AK,Signature=" + Redacted},
		{"a V1 signature echoed is removed", "a=1&Signature=x%2Fy&b=2", "a=1&Signature=" + Redacted + "&b=2"},
		{"the user name is not a secret", "alice_1", "alice_1"},
	}
	for _, row := range rows {
		if got := s.Scrub(row.in); got != row.want {
			t.Errorf("%s: Scrub(%q) = %q, want %q", row.reason, row.in, got, row.want)
		}
	}
}
