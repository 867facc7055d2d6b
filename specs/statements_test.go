package specs_test

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

// sharedDir is ../shared beside the repository, where the seeds and
// PROTOCOL.md live (reports' tests find the JUnit schema the same way).
var sharedDir = filepath.Join("..", "..", "shared")

// seedText reads an operation's seed; a missing seed fails the test: the
// seeds are the authority every quote is checked against.
func seedText(t *testing.T, op *specs.Operation) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sharedDir, "seeds", op.Seed))
	assert.NilError(t, err, "the seeds are expected in %s (../shared beside the repository)", filepath.Join(sharedDir, "seeds"))
	return string(b)
}

// TestStatementQuotesAreVerbatim: every statement quotes its seed verbatim.
func TestStatementQuotesAreVerbatim(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		seed := seedText(t, op)
		for i, s := range op.Statements {
			assert.Check(t, strings.Contains(seed, s.Quote), "%s statement %d: %q is not in %s", op.ID, i, s.Quote, op.Seed)
		}
	}
}

// TestSpecQuotesAreVerbatim: every rule, ambiguity and reference quotes
// its seed (or, for the gateway's facts, PROTOCOL.md) verbatim.
func TestSpecQuotesAreVerbatim(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	protocol, err := os.ReadFile(filepath.Join(sharedDir, "PROTOCOL.md"))
	assert.NilError(t, err)
	for _, op := range m.Operations {
		seed := seedText(t, op)
		in := func(q string) bool { return strings.Contains(seed, q) || strings.Contains(string(protocol), q) }
		for _, r := range op.Rules {
			assert.Check(t, in(r.Quote), "rule %s: %q is not in %s", r.ID, r.Quote, op.Seed)
		}
		for _, a := range op.Ambiguities {
			assert.Check(t, in(a.Quote), "ambiguity %s: %q is not in %s", a.ID, a.Quote, op.Seed)
		}
		for _, e := range op.Errors {
			assert.Check(t, in(e.Quote), "error %s: %q is not in %s", e.Code, e.Quote, op.Seed)
		}
		for _, p := range op.Params {
			for _, ref := range p.References {
				assert.Check(t, in(ref.Quote), "reference %s %s: %q is not in %s", p.Path, ref.Resource, ref.Quote, op.Seed)
			}
		}
	}
}

// minQuote is the shortest quote that covers text wherever it occurs; a
// shorter one ("1", "CN", "en") covers only a line equal to it.
const minQuote = 4

// uncovered returns the lines of seed that hold a character (other than
// white space, list bullets and the commas between two quoted clauses)
// that no quote covers.
func uncovered(seed string, quotes []string) []string {
	covered := make([]bool, len(seed))
	lines := strings.Split(seed, "\n")
	for _, q := range quotes {
		if utf8.RuneCountInString(q) < minQuote {
			continue
		}
		for from := 0; ; {
			i := strings.Index(seed[from:], q)
			if i < 0 {
				break
			}
			for j := from + i; j < from+i+len(q); j++ {
				covered[j] = true
			}
			from += i + 1
		}
	}
	var out []string
	at := 0
	for _, line := range lines {
		whole := slices.Contains(quotes, strings.TrimSpace(line))
		for i, r := range line {
			if !whole && !covered[at+i] && !strings.ContainsRune(" \t\u00a0•,;", r) {
				out = append(out, line)
				break
			}
		}
		at += len(line) + 1
	}
	return out
}

// TestEverySeedLineIsQuoted: the table covers each seed fully, sentence by
// sentence: every character of every line is in some statement's quote.
func TestEverySeedLineIsQuoted(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		var quotes []string
		for _, s := range op.Statements {
			quotes = append(quotes, s.Quote)
		}
		if diff := cmp.Diff([]string(nil), uncovered(seedText(t, op), quotes)); diff != "" {
			t.Errorf("%s: lines of %s no statement quotes (-want +got):\n%s", op.ID, op.Seed, diff)
		}
	}
}

// TestUncovered checks the coverage check itself.
func TestUncovered(t *testing.T) {
	for _, c := range []struct {
		seed   string
		quotes []string
		want   []string
		reason string
	}{
		{"One. Two.\n", []string{"One.", "Two."}, nil, "two sentences, two quotes"},
		{"One. Two.\n", []string{"One."}, []string{"One. Two."}, "a sentence left out"},
		{"  • 类型:String\n", []string{"类型:String"}, nil, "bullets and indentation need no quote"},
		{"CN\nCNX\n", []string{"CN"}, []string{"CNX"}, "a short quote covers only a line equal to it"},
		{"a\n\nb c\n", []string{"a\n\nb c"}, nil, "a quote over several lines"},
	} {
		if diff := cmp.Diff(c.want, uncovered(c.seed, c.quotes)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.reason, diff)
		}
	}
}

// TestEveryAmbiguityHasAStatement: each ambiguity note is reached from the
// sentence it is about.
func TestEveryAmbiguityHasAStatement(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		for _, a := range op.Ambiguities {
			assert.Check(t, slices.ContainsFunc(op.Statements, func(s *specs.Statement) bool {
				return slices.Contains(s.Ambiguities, a.ID)
			}), "%s: no statement names ambiguity %s", op.ID, a.ID)
		}
	}
}

// TestStatementsMapOrSayWhyNot: every statement maps to rules, ambiguities,
// parameters or response fields, or says why no call can check it.
func TestStatementsMapOrSayWhyNot(t *testing.T) {
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		assert.Check(t, len(op.Statements) > 0, op.ID)
		for _, s := range op.Statements {
			assert.Check(t, s.Mapped() != (s.Unobservable != ""), "%s: %q", op.ID, s.Quote)
		}
	}
}

// TestReadmeDocumentsStatementFields: specs/README.md names every field
// and kind of the statements table.
func TestReadmeDocumentsStatementFields(t *testing.T) {
	b, err := os.ReadFile("README.md")
	assert.NilError(t, err)
	for _, key := range []string{"kind", "quote", "rules", "ambiguities", "params", "response", "unobservable"} {
		assert.Check(t, strings.Contains(string(b), "| `"+key+"` |"), "README.md documents the statement field %q", key)
	}
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		for _, s := range op.Statements {
			assert.Check(t, strings.Contains(string(b), "`"+string(s.Kind)+"`"), "README.md documents the kind %q", s.Kind)
		}
	}
}

// TestLoadFSNeedsAStatementPerRule: a rule that no statement names, or
// a statement naming a rule that does not exist, fails the load.
func TestLoadFSNeedsAStatementPerRule(t *testing.T) {
	for _, c := range []struct {
		reason string
		edits  []string // old, new, old, new, ...: every occurrence replaced
		want   string
	}{
		{"a statement naming an unknown rule",
			[]string{`"ram.Comments.max-length"`, `"ram.Comments.min-length"`}, `unknown rule "ram.Comments.min-length"`},
		{"a rule no statement names",
			[]string{`, "ram.quota"]`, `]`, `rules: ["ram.quota"]`, `unobservable: "not any more"`}, "rule ram.quota rests on no statement"},
	} {
		t.Run(c.reason, func(t *testing.T) {
			fsys := sourcesFS()
			src := string(fsys["statements.yaml"].Data)
			for i := 0; i+1 < len(c.edits); i += 2 {
				assert.Assert(t, strings.Contains(src, c.edits[i]), c.edits[i])
				src = strings.ReplaceAll(src, c.edits[i], c.edits[i+1])
			}
			fsys["statements.yaml"].Data = []byte(src)
			_, err := specs.LoadFS(fsys)
			assert.Check(t, is.ErrorContains(err, c.want))
		})
	}
}

// TestLoadFSRejectsBrokenStatements: a statement that maps nothing, names
// what does not exist, or a rule no statement names, fails the load.
func TestLoadFSRejectsBrokenStatements(t *testing.T) {
	for _, c := range []struct {
		reason, old, new, want string
	}{
		{"a statement naming an unknown ambiguity",
			`ambiguities: ["ram.mobile-phone-format"]`, `ambiguities: ["ram.mobile-format"]`, `unknown ambiguity "ram.mobile-format"`},
		{"a statement naming an unknown parameter",
			`params: ["Comments"]` + "\n  - kind: limit", `params: ["Comment"]` + "\n  - kind: limit", `unknown parameter "Comment"`},
		{"a statement naming an unknown response field",
			`response: ["User"]`, `response: ["Users"]`, `no field "Users"`},
		{"a statement both mapped and unobservable",
			`response: ["User"]`, `response: ["User"]` + "\n    unobservable: \"both\"", "exactly one of the two"},
		{"an unknown kind", "kind: rate-limit\n    quote: \"You can call this operation up to 10",
			"kind: speed\n    quote: \"You can call this operation up to 10", `kind "speed"`},
		{"an unknown field", `response: ["User"]`, `responses: ["User"]`, "not found"},
	} {
		t.Run(c.reason, func(t *testing.T) {
			_, err := specs.LoadFS(mutate(t, "statements.yaml", c.old, c.new))
			var de *specs.DocError
			assert.Assert(t, errors.As(err, &de), "want a *DocError, got %v", err)
			assert.Check(t, is.Equal(de.File, "statements.yaml"))
			assert.Check(t, is.ErrorContains(err, c.want))
		})
	}
}
