package oracle

import (
	"strings"
	"testing"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

const acct, other = "acct-1", "acct-2"

// loaded is the embedded model, loaded once.
func loaded(t testing.TB) *specs.Model {
	t.Helper()
	m, err := specs.Load()
	if err != nil {
		t.Fatalf("specs.Load: %v", err)
	}
	return m
}

// opOf returns an operation of the model.
func opOf(t testing.TB, m *specs.Model, id string) *specs.Operation {
	t.Helper()
	op, ok := m.Operation(id)
	if !ok {
		t.Fatalf("no operation %s", id)
	}
	return op
}

// maxLen is the documented maximum length of a parameter path.
func maxLen(t testing.TB, op *specs.Operation, path string) int {
	t.Helper()
	p, ok := op.Lookup(path)
	if !ok || p.MaxLength == nil {
		t.Fatalf("%s.%s has no maximum length", op.ID, path)
	}
	return *p.MaxLength
}

// req builds a request; with(...) edits it.
func req(op string, params map[string]string, users ...map[string]string) wire.Request {
	r := wire.Request{Op: op, Params: params}
	if users != nil {
		r.Lists = map[string][]map[string]string{"Users": users}
	}
	return r
}

// answer is an HTTP status and error code.
type answer struct {
	status int
	code   string
}

func TestJudge(t *testing.T) {
	m := loaded(t)
	ram, eds, bh := opOf(t, m, "ram"), opOf(t, m, "eds-user"), opOf(t, m, "bastionhost")
	long := func(op *specs.Operation, path string) string { return strings.Repeat("a", maxLen(t, op, path)+1) }
	const inst = "bastionhost-cn-test"
	taken := func(op *specs.Operation, r wire.Request, account string) func(*State) {
		return func(s *State) { s.Record(op, r, account) }
	}
	bhBase := map[string]string{"InstanceId": inst, "Source": "Ram", "SourceUserId": "1", "UserName": "bob", "TwoFactorStatus": "Disable"}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "\x00absent" {
				delete(out, kv[i])
				continue
			}
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		reason  string
		op      *specs.Operation
		r       wire.Request
		setup   func(*State)
		account string
		broken  []string
		allow   []answer
		deny    []answer
	}{{
		reason: "a plain valid RAM request is accepted and nothing else",
		op:     ram, r: req("ram", map[string]string{"UserName": "zhangqiang", "DisplayName": "张强"}),
		allow: []answer{{200, ""}},
		deny:  []answer{{400, "InvalidParameter.UserName.Length"}, {409, "EntityAlreadyExists.User"}},
	}, {
		reason: "a UserName one over the maximum gets the Length code only",
		op:     ram, r: req("ram", map[string]string{"UserName": long(ram, "UserName")}),
		broken: []string{"ram.UserName.max-length"},
		allow:  []answer{{400, "InvalidParameter.UserName.Length"}},
		deny:   []answer{{200, ""}, {400, "InvalidParameter.UserName.InvalidChars"}, {400, "InvalidParameter"}},
	}, {
		reason: "a missing UserName allows the gateway's Missing codes",
		op:     ram, r: req("ram", map[string]string{}),
		broken: []string{"ram.UserName.required"},
		allow:  []answer{{400, "MissingUserName"}, {400, "MissingParameter"}},
		deny: []answer{{200, ""}, {404, "MissingUserName"},
			{400, "InvalidParameter.UserName.Length"}, {400, "InvalidParameter.UserName.InvalidChars"}},
	}, {
		reason: "an empty UserName may be read as missing, as matching no character, or as outside the length limit (ram.empty-user-name)",
		op:     ram, r: req("ram", map[string]string{"UserName": ""}),
		broken: []string{"ram.UserName.required", "ram.UserName.pattern"},
		allow: []answer{{400, "MissingUserName"}, {400, "MissingParameter"},
			{400, "InvalidParameter.UserName.Length"}, {400, "InvalidParameter.UserName.InvalidChars"}},
		deny: []answer{{200, ""}},
	}, {
		reason: "a MobilePhone between the broad and the strict pattern may be accepted or refused",
		op:     ram, r: req("ram", map[string]string{"UserName": "a", "MobilePhone": "1-2"}),
		allow: []answer{{200, ""}, {400, "InvalidParameter.MobilePhone.Format"}},
		deny:  []answer{{400, "InvalidParameter.Email.Format"}},
	}, {
		reason: "a duplicate name in the same account is EntityAlreadyExists",
		op:     ram, r: req("ram", map[string]string{"UserName": "dup"}),
		setup:  taken(ram, req("ram", map[string]string{"UserName": "dup"}), acct),
		broken: []string{"ram.UserName.unique"},
		allow:  []answer{{409, "EntityAlreadyExists.User"}},
		deny:   []answer{{200, ""}},
	}, {
		reason: "the same name in another account is not a duplicate",
		op:     ram, r: req("ram", map[string]string{"UserName": "dup"}), account: other,
		setup: taken(ram, req("ram", map[string]string{"UserName": "dup"}), acct),
		allow: []answer{{200, ""}},
		deny:  []answer{{409, "EntityAlreadyExists.User"}},
	}, {
		reason: "a used-up declared quota is LimitExceeded",
		op:     ram, r: req("ram", map[string]string{"UserName": "second"}),
		setup: func(s *State) {
			s.DeclareQuota("ram", 1)
			s.Record(ram, req("ram", map[string]string{"UserName": "first"}), acct)
		},
		broken: []string{"ram.quota"},
		allow:  []answer{{409, "LimitExceeded.User"}},
		deny:   []answer{{200, ""}},
	}, {
		reason: "an undeclared quota allows acceptance or LimitExceeded",
		op:     ram, r: req("ram", map[string]string{"UserName": "x"}),
		setup: func(s *State) {},
		allow: []answer{{200, ""}, {409, "LimitExceeded.User"}},
		deny:  []answer{{400, "InvalidParameter.UserName.Length"}},
	}, {
		reason: "a repeated key is undocumented: accept or any 4xx, never a 5xx",
		op:     ram, r: wire.Request{Op: "ram", Params: map[string]string{"UserName": "a"}, Raw: []wire.Pair{{Key: "UserName", Value: "b"}}},
		allow: []answer{{200, ""}, {400, "Whatever"}, {404, ""}},
		deny:  []answer{{500, "InternalError"}},
	}, {
		reason: "a repeated key makes a broken value only ambiguously broken",
		op:     ram, r: wire.Request{Op: "ram", Params: map[string]string{"UserName": long(ram, "UserName")}, Raw: []wire.Pair{{Key: "UserName", Value: "b"}}},
		allow: []answer{{200, ""}, {400, "InvalidParameter.UserName.Length"}},
	}, {
		reason: "a control character in a free-text value is undocumented",
		op:     ram, r: req("ram", map[string]string{"UserName": "a", "Comments": "x\x00y"}),
		allow: []answer{{200, ""}, {400, "Any"}},
		deny:  []answer{{503, "ServiceUnavailable"}},
	}, {
		reason: "Source=Local requires Password: the seed documents 400 InvalidParameter only, and the gateway checks no conditional requirement",
		op:     bh, r: req("bastionhost", with(bhBase, "Source", "Local")),
		setup:  func(s *State) { s.DeclareInstance(acct, inst) },
		broken: []string{"bastionhost.Password.conditional-required"},
		allow:  []answer{{400, "InvalidParameter"}},
		deny:   []answer{{200, ""}, {400, "MissingPassword"}, {400, "MissingParameter"}},
	}, {
		reason: "Source=local (the seed's example case) may or may not require Password",
		op:     bh, r: req("bastionhost", with(bhBase, "Source", "local", "SourceUserId", "\x00absent")),
		setup: func(s *State) { s.DeclareInstance(acct, inst) },
		allow: []answer{{200, ""}, {400, "InvalidParameter"}},
		deny:  []answer{{400, "MissingPassword"}},
	}, {
		reason: "TwoFactorStatus=Enable with email requires Email (400 InvalidParameter, the one documented answer)",
		op:     bh, r: req("bastionhost", with(bhBase, "TwoFactorStatus", "Enable", "TwoFactorMethods", `["email"]`)),
		setup:  func(s *State) { s.DeclareInstance(acct, inst) },
		broken: []string{"bastionhost.Email.conditional-required"},
		allow:  []answer{{400, "InvalidParameter"}},
		deny:   []answer{{200, ""}, {400, "MissingEmail"}, {400, "MissingMobile"}},
	}, {
		reason: "the default TwoFactorStatus defers to settings the caller cannot see",
		op:     bh, r: req("bastionhost", with(bhBase, "TwoFactorStatus", "\x00absent")),
		setup: func(s *State) { s.DeclareInstance(acct, inst) },
		allow: []answer{{200, ""}, {400, "InvalidParameter"}},
		deny:  []answer{{400, "MissingEmail"}, {400, "MissingMobile"}},
	}, {
		reason: "two 2FA methods break max-items",
		op:     bh, r: req("bastionhost", with(bhBase, "TwoFactorMethods", `["sms","totp"]`)),
		setup:  func(s *State) { s.DeclareInstance(acct, inst) },
		broken: []string{"bastionhost.TwoFactorMethods.max-items"},
		allow:  []answer{{400, "InvalidParameter"}},
		deny:   []answer{{200, ""}},
	}, {
		reason: "an instance the account does not have may get any 4xx",
		op:     bh, r: req("bastionhost", with(bhBase, "InstanceId", "bastionhost-cn-nope")),
		setup:  func(s *State) { s.DeclareInstance(acct, inst) },
		broken: []string{"bastionhost.InstanceId.exists"},
		allow:  []answer{{404, "InvalidInstance"}},
		deny:   []answer{{200, ""}},
	}, {
		reason: "a name taken on the instance is UserAlreadyExists, whichever account asks",
		op:     bh, r: req("bastionhost", bhBase),
		setup: func(s *State) {
			s.DeclareInstance(acct, inst)
			s.Record(bh, req("bastionhost", bhBase), acct)
		},
		broken: []string{"bastionhost.UserName.unique"},
		allow:  []answer{{400, "UserAlreadyExists"}},
		deny:   []answer{{200, ""}},
	}, {
		reason: "eds-user: no Users at all is MissingUsers",
		op:     eds, r: req("eds-user", map[string]string{}),
		broken: []string{"eds-user.Users.required"},
		allow:  []answer{{400, "MissingUsers"}, {400, "INTERNAL_ERROR"}},
		deny:   []answer{{200, ""}},
	}, {
		reason: "eds-user: a too-short EndUserId fails the request or the element",
		op:     eds, r: req("eds-user", map[string]string{}, map[string]string{"EndUserId": "ab"}),
		broken: []string{"eds-user.Users[].EndUserId.min-length"},
		allow:  []answer{{200, ""}, {400, "INTERNAL_ERROR"}, {403, "Other"}},
	}, {
		reason: "eds-user: a taken EndUserId is a batch failure, not an HTTP error (INTERNAL_ERROR only as a full account's answer, eds-user.account-user-limit)",
		op:     eds, r: req("eds-user", map[string]string{}, map[string]string{"EndUserId": "taken1"}, map[string]string{"EndUserId": "fresh1"}),
		setup:  taken(eds, req("eds-user", map[string]string{}, map[string]string{"EndUserId": "taken1"}), acct),
		broken: []string{"eds-user.Users[].EndUserId.unique"},
		allow:  []answer{{200, ""}, {400, "INTERNAL_ERROR"}},
		deny:   []answer{{409, "ExistedEndUserId"}},
	}, {
		reason: "eds-user: the top-level Password has no sure rule, so a short one may be accepted",
		op:     eds, r: req("eds-user", map[string]string{"Password": "short"}, map[string]string{"EndUserId": "u_1"}),
		broken: []string{"eds-user.Password.min-length", "eds-user.Password.complexity"},
		allow:  []answer{{200, ""}, {400, "INTERNAL_ERROR"}},
	}, {
		reason: "eds-user: a space in an otherwise valid password may be accepted or rejected (eds-user.password-space)",
		op:     eds, r: req("eds-user", map[string]string{}, map[string]string{"EndUserId": "u_1", "Password": "Abcdef 12gh"}),
		allow: []answer{{200, ""}, {400, "INTERNAL_ERROR"}},
	}, {
		reason: "Bastionhost: a space in an otherwise valid password may be accepted or rejected (bastionhost.password-space)",
		op:     bh, r: req("bastionhost", with(bhBase, "Password", "Abcde f1!")),
		allow: []answer{{200, ""}, {400, "InvalidParameter"}},
	}, {
		reason: "Bastionhost: two classes and a space break the complexity rule under every reading",
		op:     bh, r: req("bastionhost", with(bhBase, "Password", "Abcde fgh")),
		broken: []string{"bastionhost.Password.complexity"},
		allow:  []answer{{400, "InvalidParameter"}},
		deny:   []answer{{200, ""}},
	}}
	for _, tt := range tests {
		st := NewState()
		if tt.setup != nil {
			tt.setup(st)
		} else {
			st.DeclareQuota(tt.op.ID, 100)
		}
		account := acct
		if tt.account != "" {
			account = tt.account
		}
		v := Judge(tt.op, tt.r, st, account)
		if got := ruleIDs(v.Broken); strings.Join(got, ",") != strings.Join(tt.broken, ",") {
			t.Errorf("%s: broken %v, want %v", tt.reason, got, tt.broken)
		}
		for _, a := range tt.allow {
			if !v.Allows(a.status, a.code) {
				t.Errorf("%s: %d %s not allowed; expected %s", tt.reason, a.status, a.code, v)
			}
		}
		for _, a := range tt.deny {
			if v.Allows(a.status, a.code) {
				t.Errorf("%s: %d %s allowed; expected %s", tt.reason, a.status, a.code, v)
			}
		}
	}
}

// ruleIDs lists the IDs of rules.
func ruleIDs(rules []*specs.Rule) []string {
	out := []string{}
	for _, r := range rules {
		out = append(out, r.ID)
	}
	return out
}

func TestJudgeTraffic(t *testing.T) {
	m := loaded(t)
	ram := opOf(t, m, "ram")
	query := []wire.Pair{{Key: "Action", Value: "CreateUser", In: "query"}}
	body := []wire.Pair{{Key: "UserName", Value: "in-the-body", In: "body"}}
	r, problems := wire.Decode(ram, query, body)
	st := NewState()
	st.DeclareQuota("ram", 10)
	tests := []struct {
		reason string
		v      Verdict
		anyErr bool
	}{
		{"a parameter in the wrong place is undocumented: any 4xx is allowed", JudgeTraffic(ram, r, problems, st, acct), true},
		{"without the decoder's problems the same request is plainly valid", Judge(ram, r, st, acct), false},
	}
	for _, tt := range tests {
		if !tt.v.Accepts() || tt.v.Allows(400, "Whatever") != tt.anyErr || tt.v.Undocumented != tt.anyErr {
			t.Errorf("%s: got %s (undocumented %v)", tt.reason, tt.v, tt.v.Undocumented)
		}
	}
}
