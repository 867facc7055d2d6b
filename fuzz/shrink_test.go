package fuzz

import (
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// requiredCount is how many top-level parameters of op are required.
func requiredCount(op *specs.Operation) int {
	n := 0
	for _, p := range op.Params {
		if p.Required {
			n++
		}
	}
	return n
}

func TestShrinkFindsTheMinimalRequest(t *testing.T) {
	op, _ := model(t).Operation("ram")
	p, _ := op.Param("UserName")
	threshold := *p.MaxLength / 2
	failing := func(r wire.Request) bool { return len([]rune(r.Params["UserName"])) > threshold }
	t.Chdir(t.TempDir())
	got, found := Shrink(Valid(op), failing, ShrinkOptions{Seed: 3})
	if !found {
		t.Fatal("no failing request found")
	}
	if n := len([]rune(got.Params["UserName"])); n != threshold+1 {
		t.Errorf("minimal UserName has %d characters, want %d", n, threshold+1)
	}
	if len(got.Params) != requiredCount(op) {
		t.Errorf("minimal request still sends optional parameters: %v", got.Params)
	}
	again, _ := Shrink(Valid(op), failing, ShrinkOptions{Seed: 3})
	if !reflect.DeepEqual(got, again) {
		t.Errorf("Shrink is not deterministic by seed:\n%+v\n%+v", got, again)
	}
	assertEmptyDir(t, ".")
}

func TestShrinkWithoutFailure(t *testing.T) {
	op, _ := model(t).Operation("eds-user")
	_, found := Shrink(Valid(op), func(r wire.Request) bool { return !oracle.Judge(op, r, nil, "").Accepts() }, ShrinkOptions{Checks: 20})
	if found {
		t.Error("Shrink reported a failure for a property every valid request keeps")
	}
}

func TestShrinkFromANonTestBinary(t *testing.T) {
	bin := filepath.Join(t.TempDir(), "shrinkcli")
	build := exec.Command("go", "build", "-o", bin, "./testdata/shrinkcli")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := t.TempDir()
	run := exec.Command(bin)
	run.Dir = dir
	out, err := run.CombinedOutput()
	if err != nil {
		t.Fatalf("shrinkcli: %v\n%s", err, out)
	}
	if got, want := strings.TrimSpace(string(out)), "1 4"; got != want {
		t.Errorf("shrinkcli printed %q, want %q (one parameter, a 4-character UserName)", got, want)
	}
	assertEmptyDir(t, dir)
}

// assertEmptyDir fails if dir holds anything.
func assertEmptyDir(t *testing.T, dir string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		t.Errorf("Shrink wrote %s into the working directory", e.Name())
	}
}
