package runner

import (
	"strings"
	"testing"
)

func TestCheckURL(t *testing.T) {
	rows := []struct {
		url, wantErr, reason string
	}{
		{"http://127.0.0.1:8080", "", "a loopback base URL"},
		{"https://ram.aliyuncs.com/base", "", "a base path is kept"},
		{"ftp://host", "not an http(s)", "only http and https"},
		{"http://", "not an http(s)", "a host is needed"},
		{"http://host/x#frag", "fragment", "a fragment would cut every query"},
		{"http://host/x#", "fragment", "an empty fragment too"},
		{"http://host/?a=1", "query", "the request's query would follow another"},
		{"http://u:pw@host", "--account", "credentials are accounts"},
	}
	for _, row := range rows {
		err := CheckURL(row.url)
		switch {
		case row.wantErr == "" && err != nil:
			t.Errorf("%s: CheckURL(%q) = %v, want nil", row.reason, row.url, err)
		case row.wantErr != "" && (err == nil || !strings.Contains(err.Error(), row.wantErr)):
			t.Errorf("%s: CheckURL(%q) = %v, want an error about %q", row.reason, row.url, err, row.wantErr)
		case err != nil && strings.Contains(err.Error(), "pw"):
			t.Errorf("%s: the error quotes the password: %v", row.reason, err)
		}
	}
}
