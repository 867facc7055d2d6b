package fuzz

import (
	"bytes"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// edited loads the embedded specs with one text replacement in one file.
func edited(t *testing.T, file, old, new string) *specs.Model {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, data := range specs.Sources() {
		fsys[name] = &fstest.MapFile{Data: data}
	}
	data := fsys[file].Data
	if bytes.Count(data, []byte(old)) != 1 {
		t.Fatalf("%s does not hold %q exactly once", file, old)
	}
	fsys[file].Data = bytes.Replace(data, []byte(old), []byte(new), 1)
	m, err := specs.LoadFS(fsys)
	if err != nil {
		t.Fatalf("LoadFS with %s edited: %v", file, err)
	}
	return m
}

func TestGeneratorsAndOracleFollowTheSpec(t *testing.T) {
	tests := []struct {
		reason         string
		file, old, new string
		op, rule       string
		// valid checks a valid request under the edited spec; witness is
		// a request the edit changes the verdict on (broken only when edited).
		valid   func(r wire.Request) bool
		witness wire.Request
	}{{
		reason: "a shorter UserName maximum shortens valid names, and an 11-character name becomes too long",
		file:   "ram.yaml", old: "maxLength: 64", new: "maxLength: 10",
		op: "ram", rule: "ram.UserName.max-length",
		valid:   func(r wire.Request) bool { return utf8.RuneCountInString(r.Params["UserName"]) <= 10 },
		witness: wire.Request{Op: "ram", Params: map[string]string{"UserName": strings.Repeat("a", 11)}},
	}, {
		reason: "an EndUserId pattern without the underscore keeps it out of valid names and rejects it",
		file:   "eds-user.yaml", old: "pattern: '^[a-z0-9_]+$'", new: "pattern: '^[a-z0-9]+$'",
		op: "eds-user", rule: "eds-user.Users[].EndUserId.pattern",
		valid: func(r wire.Request) bool {
			for _, el := range r.Lists["Users"] {
				if strings.Contains(el["EndUserId"], "_") {
					return false
				}
			}
			return true
		},
		witness: wire.Request{Op: "eds-user", Params: map[string]string{}, Lists: map[string][]map[string]string{"Users": {{"EndUserId": "abc_123"}}}},
	}}
	for _, tt := range tests {
		orig, _ := model(t).Operation(tt.op)
		op, _ := edited(t, tt.file, tt.old, tt.new).Operation(tt.op)
		rule, _ := op.Rule(tt.rule)
		rapid.Check(t, func(t *rapid.T) {
			if r := Valid(op).Draw(t, "valid"); !tt.valid(r) {
				t.Fatalf("%s: valid request ignores the edit: %+v", tt.reason, r)
			}
			c := InvalidFor(op, rule).Draw(t, "invalid")
			if v := oracle.Judge(op, c.Request, freshState(op, c.Base), account); len(v.Broken) != 1 || v.Broken[0] != rule {
				t.Fatalf("%s: the edited oracle finds %v broken in %s", tt.reason, ids(v.Broken), c.Label)
			}
		})
		moved := false
		for seed := 0; seed < 50 && !moved; seed++ {
			moved = !tt.valid(Valid(orig).Example(seed))
		}
		if !moved {
			t.Errorf("%s: the unedited spec's valid requests already keep the edit", tt.reason)
		}
		before := oracle.Judge(orig, tt.witness, nil, "")
		after := oracle.Judge(op, tt.witness, nil, "")
		if len(before.Broken) != 0 || len(after.Broken) != 1 || after.Broken[0].ID != tt.rule {
			t.Errorf("%s: verdict before %v, after %v", tt.reason, ids(before.Broken), ids(after.Broken))
		}
	}
}
