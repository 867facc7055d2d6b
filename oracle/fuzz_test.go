package oracle

import (
	"testing"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// checkVerdict fails when a verdict is empty or allows a server error.
func checkVerdict(t rapid.TB, op *specs.Operation, r wire.Request, v Verdict) {
	t.Helper()
	if len(v.Outcomes) == 0 {
		t.Fatalf("%s: empty verdict for %+v", op.ID, r)
	}
	if v.Allows(500, "InternalError") || v.Allows(503, "ServiceUnavailable") {
		t.Fatalf("%s: verdict %s allows a server error", op.ID, v)
	}
	for _, ev := range v.Elements {
		if len(ev.Outcomes) == 0 {
			t.Fatalf("%s: empty element verdict %d", op.ID, ev.Index)
		}
	}
}

// FuzzJudge decodes arbitrary query and body text as traffic for each
// operation and judges it: the oracle never panics, never returns an empty
// verdict and never allows a 5xx.
func FuzzJudge(f *testing.F) {
	m := loaded(f)
	f.Add("UserName=zhangqiang&DisplayName=%E5%BC%A0%E5%BC%BA", "")
	f.Add("", "Users.1.EndUserId=test1&Users.2.EndUserId=test1&Users.0.Email=x")
	f.Add("InstanceId=i&Source=local&UserName=a&TwoFactorMethods=%5B%22sms%22", "")
	f.Add("UserName=a&UserName=b&Unknown=%FF", "Password=%00")
	f.Fuzz(func(t *testing.T, query, body string) {
		for _, op := range m.Operations {
			q, _ := wire.ParsePairs(query, string(specs.InQuery))
			b, _ := wire.ParsePairs(body, string(specs.InBody))
			r, _ := wire.Decode(op, q, b)
			st := NewState()
			st.DeclareInstance(acct, r.Params["InstanceId"])
			checkVerdict(t, op, r, Judge(op, r, st, acct))
		}
	})
}

// text draws strings rich in the characters the rules care about.
var text = rapid.OneOf(rapid.String(), rapid.StringMatching(`[a-zA-Z0-9_@.\-]{0,70}`), rapid.SampledFrom([]string{"", " ", "Local", "local", "Enable", `["email"]`, `["sms","email"]`, "true", "007"}))

func TestJudgeNeverEmpty(t *testing.T) {
	for _, op := range loaded(t).Operations {
		names := []string{"Unknown"}
		for _, p := range op.Params {
			names = append(names, p.Name)
		}
		t.Run(op.ID, rapid.MakeCheck(func(t *rapid.T) {
			r := wire.Request{Op: op.ID, Params: rapid.MapOf(rapid.SampledFrom(names), text).Draw(t, "params")}
			for _, p := range op.Params {
				if p.Style == specs.StyleFlat {
					r.Lists = map[string][]map[string]string{p.Name: rapid.SliceOfN(rapid.MapOf(rapid.SampledFrom(fieldNames(p)), text), 0, 4).Draw(t, "list")}
				}
			}
			st := NewState()
			if rapid.Bool().Draw(t, "declared") {
				st.DeclareQuota(op.ID, rapid.IntRange(1, 3).Draw(t, "quota"))
				st.DeclareInstance(acct, r.Params["InstanceId"])
			}
			v := Judge(op, r, st, acct)
			checkVerdict(t, op, r, v)
			if v.Accepts() != (len(v.Broken) == 0 || allAllow200(v.Broken)) {
				t.Fatalf("Accepts %v with broken %v", v.Accepts(), ruleIDs(v.Broken))
			}
		}))
	}
}

// fieldNames are the element field names of a list parameter.
func fieldNames(p *specs.Param) []string {
	var out []string
	for _, f := range p.Items.Fields {
		out = append(out, f.Name)
	}
	return append(out, "Unknown")
}

// allAllow200 reports whether every rule allows an HTTP 200 answer.
func allAllow200(rules []*specs.Rule) bool {
	for _, r := range rules {
		if !allows200(r.Broken) {
			return false
		}
	}
	return true
}

func BenchmarkJudge(b *testing.B) {
	m := loaded(b)
	op := opOf(b, m, "eds-user")
	users := make([]map[string]string, 10)
	for i := range users {
		users[i] = map[string]string{"EndUserId": "user_" + string(rune('a'+i)) + "01", "Email": "a@example.com", "Password": "Abcdef123!"}
	}
	r := req("eds-user", map[string]string{"AutoLockTime": "2031-01-02"}, users...)
	st := NewState()
	st.Record(op, req("eds-user", map[string]string{}, users[0]), acct)
	b.ReportAllocs()
	for b.Loop() {
		Judge(op, r, st, acct)
	}
}

// BenchmarkJudgeLongBatch is a chaos-like batch: a thousand users that
// copy a few, some of them breaking rules.
func BenchmarkJudgeLongBatch(b *testing.B) {
	m := loaded(b)
	op := opOf(b, m, "eds-user")
	few := []map[string]string{
		{"EndUserId": "user_a01", "Email": "a@example.com", "Password": "Abcdef123!"},
		{"EndUserId": "User-B", "Email": "b@example", "Password": "abc"},
		{"EndUserId": "user_c01", "Email": "C.Name@Example.COM", "Password": "Abcdef123!中"},
		{"EndUserId": "", "Email": "d@example.com"},
	}
	users := make([]map[string]string, 1000)
	for i := range users {
		users[i] = few[i%len(few)]
	}
	r := req("eds-user", map[string]string{"AutoLockTime": "2031-01-02"}, users...)
	st := NewState()
	st.Record(op, req("eds-user", map[string]string{}, few[0]), acct)
	b.ReportAllocs()
	for b.Loop() {
		Judge(op, r, st, acct)
	}
}
