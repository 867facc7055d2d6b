package fuzz

import (
	"reflect"
	"regexp"
	"testing"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
)

func TestCasesDeterministicAndComplete(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		for _, kind := range Kinds {
			a, err := Cases(op, kind, 9, len(op.Rules))
			if err != nil {
				t.Fatalf("%s %s: %v", op.ID, kind, err)
			}
			b, _ := Cases(op, kind, 9, len(op.Rules))
			if len(a) == 0 || !reflect.DeepEqual(a, b) {
				t.Errorf("%s %s: %d cases, deterministic %v", op.ID, kind, len(a), reflect.DeepEqual(a, b))
			}
		}
		invalid, _ := Cases(op, KindInvalid, 9, len(op.Rules))
		seen := map[*specs.Rule]bool{}
		for _, c := range invalid {
			seen[c.Rule] = true
		}
		for _, rule := range op.Rules {
			if !seen[rule] {
				t.Errorf("%s: %d invalid cases miss rule %s", op.ID, len(op.Rules), rule.ID)
			}
		}
	}
}

func TestCasesValidNamesAreUnique(t *testing.T) {
	t.Parallel()
	for _, op := range model(t).Operations {
		cases, _ := Cases(op, KindValid, 4, 200)
		seen := map[string]bool{}
		for _, c := range cases {
			for _, path := range uniquePaths(op) {
				for _, v := range oracle.Values(path, c.Request) {
					if seen[path+"="+v] {
						t.Fatalf("%s: name %s=%q used twice", op.ID, path, v)
					}
					seen[path+"="+v] = true
				}
			}
		}
	}
}

func TestCasesUnknownKind(t *testing.T) {
	op, _ := model(t).Operation("ram")
	if _, err := Cases(op, Kind("nonsense"), 1, 1); err == nil {
		t.Error("an unknown kind is not an error")
	}
}

func TestCasesImpossibleSpecIsAnError(t *testing.T) {
	t.Parallel()
	ram, _ := model(t).Operation("ram")
	op := *ram
	user := *op.Params[0]
	five, two := 5, 2
	user.MinLength, user.MaxLength, user.Pattern = &five, &two, regexp.MustCompile(`^[a-z]{0,2}$`)
	op.Params = append([]*specs.Param{&user}, op.Params[1:]...)
	for _, kind := range []Kind{KindValid, KindChaos, KindBoundary} {
		if _, err := Cases(&op, kind, 1, 30); err == nil {
			t.Errorf("%s: no error for a UserName no value can satisfy", kind)
		}
	}
}
