package oracle

import (
	"strings"
	"testing"
)

// elementAnswer is how one batch element ended.
type elementAnswer struct {
	created bool
	code    string
}

func TestJudgeElements(t *testing.T) {
	m := loaded(t)
	eds := opOf(t, m, "eds-user")
	user := func(id string) map[string]string { return map[string]string{"EndUserId": id} }
	st := NewState()
	st.Record(eds, req("eds-user", map[string]string{}, user("taken1")), acct)
	tests := []struct {
		reason string
		users  []map[string]string
		index  int
		allow  []elementAnswer
		deny   []elementAnswer
	}{{
		reason: "a fresh name is created",
		users:  []map[string]string{user("fresh1"), user("taken1")}, index: 0,
		allow: []elementAnswer{{true, ""}},
		deny:  []elementAnswer{{false, "ExistedEndUserId"}},
	}, {
		reason: "a taken name fails with ExistedEndUserId only",
		users:  []map[string]string{user("fresh1"), user("taken1")}, index: 1,
		allow: []elementAnswer{{false, "ExistedEndUserId"}},
		deny:  []elementAnswer{{true, ""}, {false, "OtherCode"}},
	}, {
		reason: "the first of two equal names in one batch is created",
		users:  []map[string]string{user("twin1"), user("twin1")}, index: 0,
		allow: []elementAnswer{{true, ""}},
	}, {
		reason: "the second of two equal names in one batch fails with ExistedEndUserId",
		users:  []map[string]string{user("twin1"), user("twin1")}, index: 1,
		allow: []elementAnswer{{false, "ExistedEndUserId"}},
		deny:  []elementAnswer{{true, ""}},
	}, {
		reason: "an element breaking a pattern fails with any code when the batch is accepted",
		users:  []map[string]string{user("Bad-Name")}, index: 0,
		allow: []elementAnswer{{false, "InvalidEndUserId"}},
		deny:  []elementAnswer{{true, ""}},
	}, {
		reason: "an element without EndUserId is never created: EndUserId | string | Yes (the request itself is rejected, see TestJudge)",
		users:  []map[string]string{{"Email": "a@example.com"}}, index: 0,
		allow: []elementAnswer{{false, "Any"}},
		deny:  []elementAnswer{{true, ""}},
	}}
	for _, tt := range tests {
		v := Judge(eds, req("eds-user", map[string]string{}, tt.users...), st, acct)
		if len(v.Elements) != len(tt.users) {
			t.Fatalf("%s: %d element verdicts for %d users", tt.reason, len(v.Elements), len(tt.users))
		}
		ev := v.Elements[tt.index]
		for _, a := range tt.allow {
			if !ev.Allows(a.created, a.code) {
				t.Errorf("%s: element %d %+v not allowed (%v)", tt.reason, tt.index, a, ev.Outcomes)
			}
		}
		for _, a := range tt.deny {
			if ev.Allows(a.created, a.code) {
				t.Errorf("%s: element %d %+v allowed (%v)", tt.reason, tt.index, a, ev.Outcomes)
			}
		}
	}
}

func TestVerdictString(t *testing.T) {
	ram := opOf(t, loaded(t), "ram")
	long := strings.Repeat("a", maxLen(t, ram, "UserName")+1)
	st := NewState()
	st.DeclareQuota("ram", 10)
	got := Judge(ram, req("ram", map[string]string{"UserName": long}), st, acct).String()
	want := "HTTP 400 InvalidParameter.UserName.Length (rule ram.UserName.max-length)"
	if got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
}
