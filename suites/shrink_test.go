package suites

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"unicode"
	"unicode/utf8"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// curlURL and curlBody pick the URL and the form body out of a Curl command.
var (
	curlURL  = regexp.MustCompile(`'(https?://[^']*)'`)
	curlBody = regexp.MustCompile(`--data-raw '([^']*)'`)
	loopback = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)
)

// business is the business parameters a finding's Curl command sends
// (query and body, common parameters left out).
func business(t *testing.T, f results.Finding) url.Values {
	t.Helper()
	m := curlURL.FindStringSubmatch(f.Curl)
	assert.Assert(t, m != nil, f.Curl)
	u, err := url.Parse(m[1])
	assert.NilError(t, err)
	vals := u.Query()
	if b := curlBody.FindStringSubmatch(f.Curl); b != nil {
		form, err := url.ParseQuery(b[1])
		assert.NilError(t, err)
		for k, vs := range form {
			vals[k] = append(vals[k], vs...)
		}
	}
	for k := range vals {
		if wire.IsCommon(k) {
			delete(vals, k)
		}
	}
	return vals
}

// weight is the number of business parameters and their bytes.
func weight(vals url.Values) (params, bytes int) {
	for k, vs := range vals {
		for _, v := range vs {
			params++
			bytes += len(k) + len(v)
		}
	}
	return params, bytes
}

// reproducer is what a shrunk finding tells a person, without the target's
// port: the same seed must give the same one.
func reproducer(f results.Finding) string {
	return loopback.ReplaceAllString(strings.Join([]string{f.Shrunk, f.Expected, f.Actual, f.Request}, "\n"), "TARGET")
}

// rejectingCJK is a target that rejects valid display names holding a
// Chinese character, as if the pattern's \u4e00-\u9fa5 were missing.
func rejectingCJK(*testing.T, *specs.Operation) rewrite {
	return func(r *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
		name := r.URL.Query().Get("DisplayName")
		if status == 200 && strings.IndexFunc(name, func(c rune) bool { return unicode.Is(unicode.Han, c) }) >= 0 {
			return 400, []byte(errorBody("InvalidParameter.DisplayName.InvalidChars"))
		}
		return status, body
	}
}

// shrinkRow is a broken target, the check and rule that catch it, and
// what the minimal reproducer must look like.
type shrinkRow struct {
	reason  string
	check   string
	rule    string
	fix     func(t *testing.T, op *specs.Operation) rewrite
	minimal func(t *testing.T, op *specs.Operation, vals url.Values)
}

func TestShrinkGivesMinimalDeterministicReproducers(t *testing.T) {
	rows := []shrinkRow{
		{"a target accepting over-long user names: one character over the maximum, nothing else", "negative-rejection", "ram.UserName.max-length",
			brokenRows()[0].fix,
			func(t *testing.T, op *specs.Operation, vals url.Values) {
				p, _ := op.Param("UserName")
				assert.Equal(t, utf8.RuneCountInString(vals.Get("UserName")), *p.MaxLength+1, "%v", vals)
				assert.Equal(t, len(vals), 1, "%v", vals)
			}},
		{"a target rejecting Chinese display names: one Chinese character, and the required parameters", "positive-acceptance", "",
			rejectingCJK,
			func(t *testing.T, op *specs.Operation, vals url.Values) {
				name := []rune(vals.Get("DisplayName"))
				assert.Assert(t, len(name) == 1 && unicode.Is(unicode.Han, name[0]), "%v", vals)
				for _, p := range op.Params {
					_, sent := vals[p.Name]
					assert.Equal(t, sent, p.Required || p.Name == "DisplayName", "%s in %v", p.Name, vals)
				}
			}},
	}
	ram := operation(t, "ram")
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			first := func(shrink bool, workers int) (results.Finding, []string) {
				target := emulatorTarget(t, breaking(ram, row.fix(t, ram)))
				res := execute(t, target, Options{Ops: []string{"ram"}, Checks: regexp.MustCompile("^" + row.check + "$"), Examples: 10,
					Seed: 3, Workers: workers, Shrink: shrink, Signatures: []wire.Signature{wire.SignV3}, Replay: "acsconform run --target T"})
				c := res.Operations[0].Checks[0]
				assert.Equal(t, c.Status, results.Failed, "%+v", c)
				var others []string
				for _, f := range c.Findings[1:] {
					others = append(others, reproducer(f))
				}
				return c.Findings[0], others
			}
			orig, rest := first(false, 4)
			shrunk, shrunkRest := first(true, 1)
			again, _ := first(true, 4)
			assert.Equal(t, orig.Shrunk, "")
			assert.Assert(t, strings.HasPrefix(shrunk.Shrunk, "from "), "%+v", shrunk)
			assert.Equal(t, shrunk.Rule, row.rule)
			assert.Equal(t, shrunk.Command, orig.Command)
			assert.Equal(t, shrunk.Quote, orig.Quote)
			assert.Assert(t, shrunk.Actual != "" && strings.HasPrefix(shrunk.Curl, "curl "), "%+v", shrunk)
			op, ob := weight(business(t, orig))
			sp, sb := weight(business(t, shrunk))
			assert.Assert(t, sp <= op && sb < ob, "shrunk %d parameters (%d bytes) from %d (%d bytes)", sp, sb, op, ob)
			row.minimal(t, ram, business(t, shrunk))
			assert.Equal(t, reproducer(again), reproducer(shrunk), "the same seed gives the same reproducer whatever the workers")
			assert.DeepEqual(t, shrunkRest, rest) // only the first finding is shrunk
		})
	}
}

// counting counts the requests a target answers.
func counting(n *atomic.Int64) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			n.Add(1)
			next.ServeHTTP(w, r)
		})
	}
}

// failingAll is a target that rejects every request with an undocumented Code.
func failingAll(*testing.T, *specs.Operation) rewrite {
	return func(*http.Request, http.Header, int, []byte) (int, []byte) {
		return 400, []byte(errorBody("Undocumented.Code"))
	}
}

func TestShrinkStopsAtItsBounds(t *testing.T) {
	ram := operation(t, "ram")
	send := func(o Options) (int64, *results.Result) {
		var n atomic.Int64
		broken := breaking(ram, failingAll(t, ram))
		target := emulatorTarget(t, func(h http.Handler) http.Handler { return counting(&n)(broken(h)) })
		o.Ops, o.Examples = []string{"ram"}, 5
		o.Checks = regexp.MustCompile("^(positive-acceptance|error-code-documented)$")
		res := execute(t, target, o)
		return n.Load(), res
	}
	unshrunk, _ := send(Options{})
	rows := []struct {
		reason   string
		attempts int
		budget   int
		most     int64
	}{
		{"each of the two findings gets at most ShrinkAttempts requests", 3, 0, 2 * 3},
		{"the run gets at most ShrinkBudget requests", 0, 4, 4},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			sent, res := send(Options{Shrink: true, ShrinkAttempts: row.attempts, ShrinkBudget: row.budget})
			extra := sent - unshrunk
			assert.Assert(t, extra > 0 && extra <= row.most, "%d shrinking requests, want 1..%d", extra, row.most)
			for _, c := range res.Operations[0].Checks {
				assert.Equal(t, c.Status, results.Failed, "%+v", c)
			}
		})
	}
}

func TestShrinkNeverRunsOnAConformantTarget(t *testing.T) {
	var sent [][]string
	for _, shrink := range []bool{false, true} {
		rec := &recorder{}
		res := execute(t, emulatorTarget(t, rec.wrap), Options{Ops: []string{"ram"}, Shrink: shrink})
		assert.DeepEqual(t, failures(res), []string(nil))
		sent = append(sent, rec.sorted())
	}
	assert.Assert(t, len(sent[0]) > 0)
	assert.DeepEqual(t, sent[0], sent[1])
}

// TestShrinkSplitsABoundaryPack: a target refusing one valid boundary
// value that went out packed with others (fuzz.PackedBoundary) gets a
// finding shrunk to that value sent alone.
func TestShrinkSplitsABoundaryPack(t *testing.T) {
	t.Parallel()
	ram := operation(t, "ram")
	refusingASpace := func(*testing.T, *specs.Operation) rewrite {
		return func(r *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
			if status == 200 && r.URL.Query().Get("Comments") == " " {
				return 400, []byte(errorBody("InvalidParameter.Comments"))
			}
			return status, body
		}
	}
	target := emulatorTarget(t, breaking(ram, refusingASpace(t, ram)))
	res := execute(t, target, Options{Ops: []string{"ram"}, Checks: regexp.MustCompile("^positive-acceptance$"), Examples: 5,
		Seed: 1, Workers: 1, Shrink: true, Signatures: []wire.Signature{wire.SignV3}, Replay: "acsconform run --target T"})
	c := res.Operations[0].Checks[0]
	assert.Equal(t, c.Status, results.Failed, "%+v", c)
	f := c.Findings[0]
	assert.Assert(t, strings.HasPrefix(f.Shrunk, "from a pack of "), "%+v", f)
	assert.Assert(t, !strings.Contains(f.Shrunk, " to a pack of "), f.Shrunk)
	last := f.Exchanges[len(f.Exchanges)-1]
	assert.Equal(t, last.Label, "boundary: Comments a space")
	assert.Equal(t, business(t, f).Get("Comments"), " ")
}
