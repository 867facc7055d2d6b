package suites

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
)

func TestParseShard(t *testing.T) {
	for _, ok := range []struct {
		in   string
		want Shard
	}{{"", Shard{}}, {"1/1", Shard{1, 1}}, {"2/4", Shard{2, 4}}, {"4/4", Shard{4, 4}}} {
		got, err := ParseShard(ok.in)
		assert.NilError(t, err, ok.in)
		assert.Equal(t, got, ok.want)
		assert.Equal(t, got.String(), ok.in)
	}
	for _, bad := range []string{"0/4", "5/4", "1/0", "-1/2", "2", "a/b", "1/2/3", "/"} {
		_, err := ParseShard(bad)
		assert.Assert(t, err != nil, "%q must be refused", bad)
	}
}

// sequenceKeys is every sequence the engine draws for opts, each as
// "operation plan: steps", and the number of sequences of each plan.
func sequenceKeys(t *testing.T, opts Options) (keys map[string]int, plans map[string]int) {
	t.Helper()
	e := planningEngine(t, opts)
	keys, plans = map[string]int{}, map[string]int{}
	for _, r := range e.ops {
		for _, p := range r.plans {
			plans[r.op.ID+" "+string(p.id)] += 0
			for seq := range e.shardStream(r, p) {
				plans[r.op.ID+" "+string(p.id)]++
				k := r.op.ID + " " + string(p.id) + ":"
				for _, st := range seq.Steps {
					k += fmt.Sprintf(" [%d %s %s %v %v %v %s %v]", st.Account, st.Signature, st.Tamper, st.Request.Params, st.Request.Lists, st.Request.Raw, st.Request.Format, st.Wait)
				}
				keys[k]++
			}
		}
	}
	return keys, plans
}

func TestShardsPartitionTheSequences(t *testing.T) {
	t.Parallel() // draws the sequences, sends nothing
	const n = 3
	whole, wholePlans := sequenceKeys(t, Options{Seed: 5, Examples: 4})
	union, shardsOf := map[string]int{}, map[string][]int{}
	for k := 1; k <= n; k++ {
		keys, plans := sequenceKeys(t, Options{Seed: 5, Examples: 4, Shard: Shard{k, n}})
		assert.Assert(t, len(keys) > 0 && len(keys) < len(whole), "shard %d/%d has %d of %d sequences", k, n, len(keys), len(whole))
		for key, c := range keys {
			union[key] += c
		}
		for plan, c := range plans {
			if c > 0 {
				shardsOf[plan] = append(shardsOf[plan], k)
			}
			if exclusive := plan == "bastionhost rate-burst" || plan == "bastionhost rate-paced" || plan == "ram quota"; exclusive && c > 0 {
				assert.Equal(t, c, wholePlans[plan], "an exclusive plan goes whole to one shard: %s", plan)
			}
		}
	}
	// The same multiset: every sequence in exactly one shard (disjoint, and
	// together everything).
	assert.DeepEqual(t, union, whole)
	assert.Equal(t, len(shardsOf["bastionhost rate-burst"]), 1)
	assert.DeepEqual(t, shardsOf["bastionhost rate-burst"], shardsOf["bastionhost rate-paced"])
	assert.Equal(t, len(shardsOf["ram quota"]), 1)
}

// faultTarget is emulatorTarget with faults injected.
func faultTarget(t *testing.T, faults ...string) runner.Target {
	t.Helper()
	accts := testAccounts()
	secrets := map[string]string{}
	for _, a := range accts {
		secrets[a.AccessKeyID] = a.AccessKeySecret
	}
	srv := httptest.NewServer(http.Handler(emulator.New(emulator.Options{Accounts: secrets, RAMUserQuota: testQuota, Faults: faults})))
	t.Cleanup(srv.Close)
	return runner.Target{URL: srv.URL, Accounts: accts, ChecksSignatures: true}
}

// comparable is what must agree between the unsharded run and the merged
// shards, per operation and check: status, exchanges, the findings in
// total (kept and dropped), and the multiset of root causes.
func comparable(res *results.Result) map[string]string {
	out := map[string]string{}
	for _, op := range res.Operations {
		for _, c := range op.Checks {
			causes := map[string]int{}
			for _, cause := range c.Causes {
				causes[cause.Rule+" | "+cause.Key] += cause.Findings
			}
			kept := map[string]int{}
			for _, f := range c.Findings {
				kept[f.Rule+" | "+f.Cause]++
			}
			if c.Dropped > 0 {
				kept = nil // which ones are kept depends on the order found
			}
			out[op.Operation+"/"+c.Check] = fmt.Sprintf("%s exchanges=%d findings=%d causes=%v kept=%v",
				c.Status, c.Exchanges, len(c.Findings)+c.Dropped, causes, kept)
		}
	}
	return out
}

func TestMergedShardsEqualTheUnshardedRun(t *testing.T) {
	const n = 3
	// The operations without a rate limit: their verdicts do not depend
	// on timing (TestShardsPartitionTheSequences covers Bastionhost's
	// exclusive plans); RAM's quota plan is an exclusive one.
	faults := []string{"ram.UserName.max-length", emulator.FaultEDSDuplicateCreated}
	opts := Options{Seed: 3, Examples: 4, Ops: []string{"ram", "eds-user"}, TargetName: "emulator", Replay: "acsconform run"}
	parts := make([]*results.Result, n)
	var whole *results.Result
	for k := 0; k <= n; k++ {
		o := opts
		if k > 0 {
			o.Shard = Shard{k, n}
		}
		res := execute(t, faultTarget(t, faults...), o)
		if k == 0 {
			whole = res
			continue
		}
		parts[k-1] = res
		assert.Equal(t, res.Shard, o.Shard.String())
	}
	// In any order: Merge sorts by shard.
	merged, err := results.Merge(parts[2], parts[0], parts[1])
	assert.NilError(t, err)
	assert.Equal(t, merged.Merged, n)
	assert.Equal(t, merged.Command, whole.Command)
	assert.DeepEqual(t, comparable(merged), comparable(whole))
	assert.Assert(t, merged.Failed(), "the faults must produce findings to compare")
	for i := range whole.Operations {
		assert.DeepEqual(t, merged.Operations[i].Rules, whole.Operations[i].Rules)
	}
	for _, p := range parts {
		for _, op := range p.Operations {
			for _, c := range op.Checks {
				for _, f := range c.Findings {
					assert.Assert(t, strings.Contains(f.Command, "--shard "+p.Shard), "a shard's replay line names its shard: %s", f.Command)
				}
			}
		}
	}
}
