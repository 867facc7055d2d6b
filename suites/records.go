package suites

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// Credentials says where a replay or send line takes its credentials from.
const Credentials = "# credentials: --account AK:SECRET or ALIBABA_CLOUD_ACCESS_KEY_ID/ALIBABA_CLOUD_ACCESS_KEY_SECRET"

// maxRecordedBody bounds the response body kept in an ExchangeRecord.
const maxRecordedBody = 16 << 10

// records are the structured exchanges of a finding on the step st
// answered by ex: the sequence's steps before it (setup), then st.
func (j *judging) records(st *step, ex *runner.Exchange) []results.ExchangeRecord {
	var out []results.ExchangeRecord
	if i := j.stepIndex(st, ex); i > 0 {
		for k := 0; k < i && k < len(j.exs); k++ {
			out = append(out, j.record(&j.seq.Steps[k], &j.exs[k], true))
		}
	}
	return append(out, j.record(st, ex, false))
}

// stepIndex is the index of the step st (answered by ex) in the judged
// sequence; -1 when it is not one of its steps (a judge's copy that
// cannot be traced back).
func (j *judging) stepIndex(st *step, ex *runner.Exchange) int {
	if j.seq == nil {
		return -1
	}
	for i := range j.seq.Steps {
		if &j.seq.Steps[i] == st {
			return i
		}
	}
	for i := range j.exs {
		e := &j.exs[i]
		if e == ex || e.URL == ex.URL && e.Body == ex.Body && e.Nonce == ex.Nonce && e.Duration == ex.Duration {
			return i
		}
	}
	return -1
}

// record is one step and its exchange as structured data, scrubbed.
func (j *judging) record(st *step, ex *runner.Exchange, setup bool) results.ExchangeRecord {
	base, query, _ := strings.Cut(ex.URL, "?")
	if base == "" {
		base = j.base
	}
	r := results.ExchangeRecord{
		Operation: j.op.ID, URL: j.scrub(base), Format: st.Request.Format,
		Signature: string(ex.Signature), Tamper: string(st.Tamper), Account: st.Account, Setup: setup,
		Label: j.scrub(st.Label), Role: st.Role, Records: st.Records, Burst: st.Burst, Together: st.Together,
		WaitMillis: st.Wait.Milliseconds(), Status: ex.Status, Body: j.scrub(clipTo(string(ex.RespBody), maxRecordedBody)),
		Error: j.scrub(ex.Err),
	}
	if st.Breaks != nil {
		r.Breaks = st.Breaks.ID
	}
	if st.Exercises != nil {
		r.Exercises = st.Exercises.ID
	}
	if r.Signature == "" {
		r.Signature = string(st.Signature)
	}
	for _, h := range []string{"x-acs-action", "x-acs-version"} {
		if v := ex.Header.Get(h); v != "" {
			r.Params = append(r.Params, results.Param{Name: h, Value: v, In: "header", Source: results.SourceProtocol})
		}
	}
	pairs, _ := wire.ParsePairs(query, "query")
	for _, p := range pairs {
		if p.Key == "Action" || p.Key == "Version" || p.Key == "Format" {
			r.Params = append(r.Params, results.Param{Name: p.Key, Value: j.scrub(p.Value), In: p.In, Source: results.SourceProtocol})
		}
	}
	plain := st.Request
	plain.Raw = nil
	enc := wire.Encode(j.op, plain)
	for _, p := range append(enc.Query, enc.Body...) {
		r.Params = append(r.Params, results.Param{Name: j.scrub(p.Key), Value: j.scrub(p.Value), In: p.In, Source: results.SourceParam})
	}
	for _, p := range st.Request.Raw {
		in := p.In
		if in == "" {
			in = string(specs.InQuery)
		}
		r.Params = append(r.Params, results.Param{Name: j.scrub(p.Key), Value: j.scrub(p.Value), In: in, Source: results.SourceRaw})
	}
	for _, k := range slices.Sorted(maps.Keys(ex.RespHeader)) {
		if strings.EqualFold(k, "Content-Type") || strings.HasPrefix(strings.ToLower(k), "x-acs-") {
			if r.Headers == nil {
				r.Headers = map[string][]string{}
			}
			for _, v := range ex.RespHeader[k] {
				r.Headers[k] = append(r.Headers[k], j.scrub(v))
			}
		}
	}
	return r
}

// clipTo shortens s to n bytes on a rune boundary.
func clipTo(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// sendLine is the 'acsconform send' command that signs and sends st's
// request afresh; "" for a request deliberately badly signed.
func (j *judging) sendLine(st *step) string {
	if st.Tamper != wire.TamperNone {
		return ""
	}
	var s strings.Builder
	s.WriteString("acsconform send --op " + j.op.ID + " --target " + shellQuote(j.base))
	if st.Signature != "" && st.Signature != wire.SignV3 {
		s.WriteString(" --signature " + string(st.Signature))
	}
	if st.Request.Format != "" {
		s.WriteString(" " + shellQuote("Format="+st.Request.Format))
	}
	enc := wire.Encode(j.op, st.Request)
	for _, p := range append(enc.Query, enc.Body...) {
		s.WriteString(" " + shellQuote(p.Key+"="+p.Value))
	}
	if st.Account != 0 {
		fmt.Fprintf(&s, "   # credentials: account %d of the run (--account AK:SECRET)", st.Account+1)
	} else {
		s.WriteString("   " + Credentials)
	}
	return j.scrub(s.String())
}

// numberFindings gives the kept findings and warnings of check c on op
// their IDs, and, when the run writes a JSON report, the replay line that
// replays each from it.
func (e *engine) numberFindings(c *results.CheckResult, op string) {
	for i := range c.Findings {
		e.identify(&c.Findings[i], fmt.Sprintf("%s/%s/%d", op, c.Check, i+1))
	}
	for i := range c.Warnings {
		e.identify(&c.Warnings[i], fmt.Sprintf("%s/%s/warning/%d", op, c.Check, i+1))
	}
}

// identify sets f's ID and replay line.
func (e *engine) identify(f *results.Finding, id string) {
	f.ID = id
	switch {
	case e.opts.ReplayReport != "" && len(f.Exchanges) > 0:
		f.Command = "acsconform replay " + shellQuote(e.opts.ReplayReport) + " --finding " + id + "   " + Credentials
	case f.Command != "" && !strings.Contains(f.Command, "# credentials"):
		f.Command += "   " + Credentials
	}
}

// declared is the target's declarations as a finding records them.
func declared(d specs.Declarations) results.Declared {
	var out results.Declared
	for k, v := range d.Values {
		if out.Values == nil {
			out.Values = map[string][]string{}
		}
		out.Values[string(k)] = append([]string(nil), v...)
	}
	for k, v := range d.Limits {
		if out.Limits == nil {
			out.Limits = map[string]int{}
		}
		out.Limits[string(k)] = v
	}
	return out
}

// declarations is the inverse of declared.
func declarations(d results.Declared) specs.Declarations {
	var out specs.Declarations
	for k, v := range d.Values {
		out.Declare(specs.RuleKind(k), v...)
	}
	for k, v := range d.Limits {
		out.SetLimit(specs.RuleKind(k), v)
	}
	return out
}

// stepOf is a recorded exchange as a plan step: the request rebuilt from
// its parameters (business parameters decoded as the spec places them,
// verbatim pairs appended as they were), how it was sent and planned.
func stepOf(op *specs.Operation, r results.ExchangeRecord) (fuzz.Step, error) {
	var params []wire.Pair
	var raw []wire.Pair
	for _, p := range r.Params {
		switch p.Source {
		case results.SourceParam:
			params = append(params, wire.Pair{Key: p.Name, Value: p.Value, In: p.In})
		case results.SourceRaw:
			raw = append(raw, wire.Pair{Key: p.Name, Value: p.Value, In: p.In})
		}
	}
	req, _ := wire.Decode(op, params, nil)
	req.Raw = append(req.Raw, raw...)
	req.Format = r.Format
	st := fuzz.Step{
		Request: req, Account: r.Account, Signature: wire.Signature(r.Signature), Tamper: wire.Tamper(r.Tamper),
		Burst: r.Burst, Together: r.Together, Label: r.Label, Role: r.Role, Records: r.Records,
	}
	st.Wait = msDuration(r.WaitMillis)
	for _, ref := range []struct {
		id   string
		rule **specs.Rule
	}{{r.Breaks, &st.Breaks}, {r.Exercises, &st.Exercises}} {
		if ref.id == "" {
			continue
		}
		rule, ok := op.Rule(ref.id)
		if !ok {
			return st, fmt.Errorf("the finding names rule %q, which operation %s does not have", ref.id, op.ID)
		}
		*ref.rule = rule
	}
	return st, nil
}

// msDuration is n milliseconds.
func msDuration(n int64) time.Duration { return time.Duration(n) * time.Millisecond }
