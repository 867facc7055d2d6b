package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestEDSUserQuota fills an account of 3 eds-user users: a batch whose new
// users would pass the quota is refused whole with 400 INTERNAL_ERROR and
// creates nothing; one that fits, or brings no new user, is served.
func TestEDSUserQuota(t *testing.T) {
	srv := newTestServer(t, Options{EDSUserQuota: 3})
	tests := []struct {
		reason string
		ids    []string
		want   string
	}{
		{"two new users fit", []string{"aaa", "bbb"}, "200 "},
		{"two new users of three in the batch do not", []string{"aaa", "ccc", "ddd"}, "400 INTERNAL_ERROR"},
		{"one new user fits, the taken one fails", []string{"aaa", "ccc"}, "200 "},
		{"the account is full", []string{"eee"}, "400 INTERNAL_ERROR"},
		{"a batch of taken users brings none", []string{"bbb", "ccc"}, "200 "},
	}
	for _, tt := range tests {
		if got := statusCode(send(t, srv.URL, testCall{Op: opEDS, Form: edsForm(tt.ids...)})); got != tt.want {
			t.Errorf("%s: %v got %q, want %q", tt.reason, tt.ids, got, tt.want)
		}
	}
}

// TestBastionhostUserQuota fills one instance of 2 users: a third is 400
// InvalidParameter, and the other instance still takes users.
func TestBastionhostUserQuota(t *testing.T) {
	srv := newTestServer(t, Options{BastionhostUserQuota: 2, Now: steppingClock(time.Second)})
	other := func(name string) testCall {
		return testCall{Op: opBastionhost, Query: with(bastionhostParams(name), "InstanceId", DefaultBastionhostInstance2)}
	}
	calls := []testCall{
		{Op: opBastionhost, Query: bastionhostParams("u1")},
		{Op: opBastionhost, Query: bastionhostParams("u2")},
		{Op: opBastionhost, Query: bastionhostParams("u3")},
		other("u3"),
	}
	var got []string
	for _, c := range calls {
		got = append(got, statusCode(send(t, srv.URL, c)))
	}
	if want := "200 ,200 ,400 InvalidParameter,200 "; strings.Join(got, ",") != want {
		t.Errorf("got %q, want %s", got, want)
	}
}

// TestStoresBounded creates far more users than the quotas allow, in
// memory without signatures, and checks what each account holds.
func TestStoresBounded(t *testing.T) {
	const quota, batches, perBatch = 50, 40, 10
	em := New(Options{NoAuth: true, EDSUserQuota: quota, BastionhostUserQuota: quota, RAMUserQuota: quota, Now: steppingClock(time.Second)})
	for b := range batches {
		form := make([]string, 0, perBatch)
		for i := range perBatch {
			form = append(form, fmt.Sprintf("Users.%d.EndUserId=u%d_%d", i+1, b, i))
		}
		serveRecorded(t, em, httptest.NewRequest(http.MethodPost, "/?Action=CreateUsers&Version=2021-03-08&"+strings.Join(form, "&"), nil))
		for i := range perBatch {
			name := fmt.Sprintf("u%d_%d", b, i)
			serveRecorded(t, em, httptest.NewRequest(http.MethodPost, "/?Action=CreateUser&Version=2015-05-01&UserName="+name, nil))
			serveRecorded(t, em, httptest.NewRequest(http.MethodPost, "/?Action=CreateUser&Version=2019-12-09&Source=Ram&SourceUserId=1&InstanceId="+DefaultBastionhostInstance+"&UserName="+name, nil))
		}
	}
	acct := em.anonymous
	acct.mu.Lock()
	defer acct.mu.Unlock()
	sizes := []int{len(acct.edsUsers), len(acct.ramUsers), len(acct.ramIDs), len(acct.bastions[DefaultBastionhostInstance].users)}
	for _, n := range sizes {
		if n != quota {
			t.Errorf("stores hold %v users (eds-user, RAM, RAM ids, Bastionhost), want %d each", sizes, quota)
			break
		}
	}
}
