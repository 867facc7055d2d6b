package main

import (
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/specs"
)

// acceptingLongNames wraps a target so that it accepts RAM user names
// longer than the documented maximum (it answers 200 where it said 400).
func acceptingLongNames(t *testing.T, next http.Handler) http.Handler {
	m, err := specs.Load()
	assert.NilError(t, err)
	op, _ := m.Operation("ram")
	p, _ := op.Param("UserName")
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		next.ServeHTTP(rec, r)
		status := rec.Code
		if utf8.RuneCountInString(r.URL.Query().Get("UserName")) > *p.MaxLength {
			status = http.StatusOK
		}
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.WriteHeader(status)
		w.Write(rec.Body.Bytes())
	})
}

func TestRunShrinksFindingsAndWritesNothingInTheWorkingDirectory(t *testing.T) {
	srv := httptest.NewServer(acceptingLongNames(t, emulator.New(emulator.Options{NoAuth: true})))
	defer srv.Close()
	rows := []struct {
		reason string
		flags  []string
		shrunk bool
	}{
		{"shrinking is on by default: the finding carries the minimal request", nil, true},
		{"--shrink=false keeps the finding as found, and its replay line says so", []string{"--shrink=false"}, false},
	}
	for _, row := range rows {
		t.Run(row.reason, func(t *testing.T) {
			dir := t.TempDir()
			t.Chdir(dir)
			args := append([]string{"--target", srv.URL, "--account", "AK:SECRET", "--no-auth", "--ops", "ram",
				"--checks", "^negative-rejection$", "--examples", "10"}, row.flags...)
			code, stdout, stderr := runCLI(t, noEnv, args...)
			assert.Equal(t, code, exitFindings, stdout+stderr)
			assert.Equal(t, strings.Contains(stdout, "  shrunk:   from "), row.shrunk, stdout)
			assert.Equal(t, strings.Contains(stderr, "ram/negative-rejection: first finding shrunk from "), row.shrunk, stderr)
			assert.Equal(t, strings.Contains(stdout, "--shrink=false"), !row.shrunk, stdout)
			entries, err := os.ReadDir(dir)
			assert.NilError(t, err)
			assert.Equal(t, len(entries), 0, "the run wrote into the working directory: %v", entries)
		})
	}
}
