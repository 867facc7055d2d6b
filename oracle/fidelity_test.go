package oracle

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/acsconform/acsconform/wire"
)

// TestFidelity holds one regression row per fidelity defect found by the
// audit of the specs against the seeds: each row is a request, the answers
// it is judged on, and whether the docs allow each. reason quotes the seed.
func TestFidelity(t *testing.T) {
	m := loaded(t)
	const inst = "bastionhost-cn-test"
	bh := func(kv ...string) map[string]string {
		out := map[string]string{"InstanceId": inst, "Source": "Local", "UserName": "bob", "Password": "Abcdef1!", "TwoFactorStatus": "Disable"}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "" {
				delete(out, kv[i])
				continue
			}
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	user := func(kv ...string) map[string]string {
		out := map[string]string{"EndUserId": "user_1"}
		for i := 0; i+1 < len(kv); i += 2 {
			if kv[i+1] == "\x00" {
				delete(out, kv[i])
				continue
			}
			out[kv[i]] = kv[i+1]
		}
		return out
	}
	tests := []struct {
		reason  string
		op      string
		r       wire.Request
		declare []string // source users the account declares
		regions []string // regions the account declares
		want    map[answer]bool
	}{{
		reason: "Bastionhost Email: 'The email address of the user that you want to add.' gives no format and no code: free text may be accepted or rejected",
		op:     "bastionhost", r: req("bastionhost", bh("Email", "not an address")),
		want: map[answer]bool{{200, ""}: true, {400, "InvalidParameter"}: true, {400, "MissingEmail"}: false},
	}, {
		reason: "eds-user Email: 'The email address of the convenience user.' gives no format and no code: free text may be accepted or rejected",
		op:     "eds-user", r: req("eds-user", map[string]string{}, user("Email", "not an address")),
		want: map[answer]bool{{200, ""}: true, {400, "INTERNAL_ERROR"}: true},
	}, {
		reason: "eds-user top-level Password: 'The initial password. …' states no rule: a short one may be accepted (or rejected under the per-user reading)",
		op:     "eds-user", r: req("eds-user", map[string]string{"Password": "short"}, user()),
		want: map[answer]bool{{200, ""}: true, {400, "INTERNAL_ERROR"}: true},
	}, {
		reason: "eds-user AutoLockTime: the seed's own example '| 2023-03-03 |' is valid: accepted, and nothing else (but a full account's INTERNAL_ERROR, eds-user.account-user-limit)",
		op:     "eds-user", r: req("eds-user", map[string]string{"AutoLockTime": "2023-03-03"}, user()),
		want: map[answer]bool{{200, ""}: true, {400, "INTERNAL_ERROR"}: true, {403, "Any"}: false},
	}, {
		reason: "eds-user AutoLockTime: 'The date on which …' gives no format and no code: a non-date may be accepted or rejected",
		op:     "eds-user", r: req("eds-user", map[string]string{"AutoLockTime": "tomorrow"}, user()),
		want: map[answer]bool{{200, ""}: true, {400, "INTERNAL_ERROR"}: true},
	}, {
		reason: "eds-user EndUserId: 'EndUserId | string | Yes': a user without it is rejected (no code is documented for its absence: any 4xx)",
		op:     "eds-user", r: req("eds-user", map[string]string{}, user("EndUserId", "\x00", "Email", "a@example.com")),
		want: map[answer]bool{{200, ""}: false, {400, "INTERNAL_ERROR"}: true, {400, "Other"}: true, {500, "InternalError"}: false},
	}, {
		reason: "eds-user OwnerType: 'Valid values:' lists none: free text may be accepted or rejected",
		op:     "eds-user", r: req("eds-user", map[string]string{}, user("OwnerType", "Whatever")),
		want: map[answer]bool{{200, ""}: true, {400, "INTERNAL_ERROR"}: true},
	}, {
		reason: "eds-user OwnerType: the seed's example Normal is valid (refused only by a full account, eds-user.account-user-limit)",
		op:     "eds-user", r: req("eds-user", map[string]string{}, user("OwnerType", "Normal")),
		want: map[answer]bool{{200, ""}: true, {400, "INTERNAL_ERROR"}: true, {400, "Other"}: false},
	}, {
		reason: "Bastionhost 'This parameter is required if Source is set to Local.': the seed documents 400 InvalidParameter only",
		op:     "bastionhost", r: req("bastionhost", bh("Password", "")),
		want: map[answer]bool{{400, "InvalidParameter"}: true, {400, "MissingParameter"}: false, {400, "MissingPassword"}: false, {200, ""}: false},
	}, {
		reason: "Bastionhost 'This parameter is required if LanguageStatus is set to Custom.': 400 InvalidParameter only",
		op:     "bastionhost", r: req("bastionhost", bh("LanguageStatus", "Custom")),
		want: map[answer]bool{{400, "InvalidParameter"}: true, {400, "MissingLanguage"}: false, {400, "MissingParameter"}: false},
	}, {
		reason: "RAM '必须:是': an absent UserName gets what the docs say of absence (the gateway's Missing codes), not the length or chars code",
		op:     "ram", r: req("ram", map[string]string{"Comments": "x"}),
		want: map[answer]bool{{400, "MissingUserName"}: true, {400, "MissingParameter"}: true,
			{400, "InvalidParameter.UserName.Length"}: false, {400, "InvalidParameter.UserName.InvalidChars"}: false},
	}, {
		reason: "Bastionhost SourceUserId must be a RAM UserId 'from the UserId response parameter': an undeclared one may be accepted or rejected",
		op:     "bastionhost", r: req("bastionhost", bh("Source", "Ram", "Password", "", "SourceUserId", "1234567890")),
		want: map[answer]bool{{200, ""}: true, {400, "InvalidParameter"}: true, {400, "Other"}: false},
	}, {
		reason: "Bastionhost SourceUserId: a RAM UserId the target declares must be accepted",
		op:     "bastionhost", r: req("bastionhost", bh("Source", "Ram", "Password", "", "SourceUserId", "1234567890")),
		declare: []string{"1234567890"},
		want:    map[answer]bool{{200, ""}: true, {400, "InvalidParameter"}: false},
	}, {
		reason: "Bastionhost SourceUserId: with Source AD it is a DN; a declared RAM UserId says nothing of the directory",
		op:     "bastionhost", r: req("bastionhost", bh("Source", "AD", "Password", "", "SourceUserId", "1234567890")),
		declare: []string{"1234567890"},
		want:    map[answer]bool{{200, ""}: true, {400, "InvalidParameter"}: true},
	}, {
		reason: "Bastionhost SourceUserId: with Source Local it names nothing, so it refers to nothing to check",
		op:     "bastionhost", r: req("bastionhost", bh("SourceUserId", "whatever")),
		want: map[answer]bool{{200, ""}: true, {400, "InvalidParameter"}: false},
	}, {
		reason: "Bastionhost RegionId is 'The region ID of the bastion host': an undeclared one may be accepted or rejected (InvalidParameter)",
		op:     "bastionhost", r: req("bastionhost", bh("RegionId", "xx-nowhere-1")),
		want: map[answer]bool{{200, ""}: true, {400, "InvalidParameter"}: true, {404, "Other"}: false},
	}, {
		reason: "Bastionhost RegionId: a declared region must be accepted",
		op:     "bastionhost", r: req("bastionhost", bh("RegionId", "cn-hangzhou")),
		regions: []string{"cn-hangzhou"},
		want:    map[answer]bool{{200, ""}: true, {400, "InvalidParameter"}: false},
	}, {
		reason: "eds-user OrgId is 'The organization to which the convenience user belongs.': an undeclared one may be accepted or rejected",
		op:     "eds-user", r: req("eds-user", map[string]string{}, user("OrgId", "org-nowhere")),
		want: map[answer]bool{{200, ""}: true, {400, "INTERNAL_ERROR"}: true},
	}}
	for _, tt := range tests {
		op := opOf(t, m, tt.op)
		st := NewState()
		st.DeclareQuota(op.ID, 100)
		st.DeclareInstance(acct, inst)
		st.DeclareSourceUsers(acct, tt.declare...)
		st.DeclareResources(ResourceRegion, acct, tt.regions...)
		v := Judge(op, tt.r, st, acct)
		got := map[answer]bool{}
		for a := range tt.want {
			got[a] = v.Allows(a.status, a.code)
		}
		if diff := cmp.Diff(tt.want, got, cmp.AllowUnexported(answer{})); diff != "" {
			t.Errorf("%s\nverdict %s\nallowed answers (-want +got):\n%s", tt.reason, v, diff)
		}
	}
}

// TestUndeclaredReferenceIsNamed: a verdict says when it rests on a
// reference the target did not declare, and names the ambiguity note.
func TestUndeclaredReferenceIsNamed(t *testing.T) {
	op := opOf(t, loaded(t), "bastionhost")
	st := NewState()
	st.DeclareInstance(acct, "i")
	r := req("bastionhost", map[string]string{"InstanceId": "i", "Source": "Ram", "UserName": "bob", "SourceUserId": "42", "TwoFactorStatus": "Disable"})
	v := Judge(op, r, st, acct)
	if diff := cmp.Diff([]string{"SourceUserId"}, v.Undeclared); diff != "" {
		t.Errorf("Undeclared (-want +got):\n%s", diff)
	}
	want := "HTTP 200 or HTTP 400 InvalidParameter (rule bastionhost.source-user-reference) [undeclared reference: SourceUserId]"
	if got := v.String(); got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	st.DeclareSourceUsers(acct, "42")
	if v := Judge(op, r, st, acct); len(v.Undeclared) != 0 || v.Allows(400, "InvalidParameter") {
		t.Errorf("a declared source user: %s", v)
	}
}
