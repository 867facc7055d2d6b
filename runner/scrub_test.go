package runner

import (
	"testing"
)

func TestScrubberRemovesSecretsOnly(t *testing.T) {
	s := NewScrubber("AccessKeySecretValue", "k9")
	rows := []struct{ reason, in, want string }{
		{"an account secret is removed", "echo AccessKeySecretValue", "echo " + Redacted},
		{"a secret of two characters is removed too", `{"Message":"bad k9"}`, `{"Message":"bad ` + Redacted + `"}`},
		{"a V3 signature echoed is removed", "Credential=AK,Signature=abc123", "Credential=AK,Signature=" + Redacted},
		{"a V1 signature echoed is removed", "a=1&Signature=x%2Fy&b=2", "a=1&Signature=" + Redacted + "&b=2"},
		{"a signature echoed as JSON is removed", `{"Signature":"x/y+="}`, `{"Signature":"` + Redacted + `"}`},
		{"a signature echoed as escaped JSON is removed", `"{\"Signature\":\"x/y\"}"`, `"{\"Signature\":\"` + Redacted + `\"}"`},
		{"a signature echoed as XML is removed", `<Signature>x/y</Signature>`, `<Signature>` + Redacted + `</Signature>`},
		{"URL user information is removed", "see https://user:pw@h/x", "see https://" + Redacted + "@h/x"},
		{"the signature placeholder stays", "Signature=" + SignaturePlaceholder, "Signature=" + SignaturePlaceholder},
		{"a generated password is test data and stays", "Password=Pa55w0rd%21x", "Password=Pa55w0rd%21x"},
		{"scrubbing twice changes nothing more", "Signature=" + Redacted + " " + Redacted, "Signature=" + Redacted + " " + Redacted},
	}
	for _, row := range rows {
		if got := s.Scrub(row.in); got != row.want {
			t.Errorf("%s: Scrub(%q) = %q, want %q", row.reason, row.in, got, row.want)
		}
	}
}
