package suites

import (
	"sort"
	"strings"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// readings returns the ambiguity notes an allowed answer rests on: nil
// when a reading that is not in doubt allows it (a rule the request surely
// breaks names that answer, or the request breaks nothing and is accepted).
// A non-empty result is a warning: the target follows one reading of
// docs that are ambiguous there, or relies on state the target did not
// declare (a user quota already reached).
func readings(v oracle.Verdict, status int, code string) []string {
	if status == 200 {
		return acceptReadings(v)
	}
	notes := map[string]bool{}
	for _, o := range v.Outcomes {
		if !(oracle.Verdict{Outcomes: []specs.Outcome{o}}).Allows(status, code) {
			continue
		}
		rules := v.Why[o]
		if len(rules) == 0 {
			return nil
		}
		for _, id := range rules {
			r := ruleIn(v.Broken, id)
			if r != nil {
				return nil
			}
			for _, n := range notesOf(ruleIn(v.Ambiguous, id), id) {
				notes[n] = true
			}
		}
	}
	return sortedSet(notes)
}

// acceptReadings: a 200 to a request that surely breaks rules rests on the
// readings that let each of those rules accept it.
func acceptReadings(v oracle.Verdict) []string {
	notes := map[string]bool{}
	for _, r := range v.Broken {
		if len(r.Ambiguities) == 0 {
			return nil
		}
		for _, n := range r.Ambiguities {
			notes[n] = true
		}
	}
	return sortedSet(notes)
}

// ruleIn finds a rule by ID.
func ruleIn(rules []*specs.Rule, id string) *specs.Rule {
	for _, r := range rules {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// notesOf names the ambiguities of a rule: its notes, or the rule itself.
func notesOf(r *specs.Rule, id string) []string {
	if r != nil && len(r.Ambiguities) > 0 {
		return r.Ambiguities
	}
	return []string{id}
}

// warnReadings warns when an allowed answer rests on one reading of
// ambiguous docs.
func warnReadings(j *judging, st *step, ex *runner.Exchange, code string) {
	notes := readings(st.Expect.Verdict, ex.Status, code)
	if len(notes) == 0 {
		return
	}
	sort.Strings(notes)
	f := j.report(true, st, ex, nil, st.Expect.words(),
		answerWords(ex.Status, code)+", allowed only under a reading the docs (or the target's undeclared state) leave open: "+strings.Join(notes, ", ")+" (see specs/README.md)")
	f.Ambiguities = notes
	j.warnWith(f)
}

// answerWords is "HTTP 200" or "HTTP 400 Code".
func answerWords(status int, code string) string {
	if status == 200 || code == "" {
		return "HTTP " + itoa(status)
	}
	return "HTTP " + itoa(status) + " " + code
}
