package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	is "gotest.tools/v3/assert/cmp"

	"github.com/acsconform/acsconform/specs"
)

func TestCmdVersion(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, dispatch([]string{"version"}, &out, &errOut), exitOK)
	assert.Equal(t, errOut.String(), "")
	text := out.String()
	assert.Check(t, is.Contains(text, "acsconform "+version+"\n"))
	assert.Check(t, is.Contains(text, "module     "+modulePath+" "), "the module path and version")
	src := specs.Sources()
	assert.Assert(t, len(src) > 0)
	for file, data := range src {
		sum := sha256.Sum256(data)
		assert.Check(t, is.Contains(text, "spec       "+file+" sha256:"+hex.EncodeToString(sum[:])+"\n"), file)
	}
	assert.Check(t, is.Equal(strings.Count(text, "\nspec "), len(src)), "one line per embedded document")

	assert.Equal(t, dispatch([]string{"version", "extra"}, &out, &errOut), exitUsage)
	assert.Check(t, is.Equal(strings.Count(errOut.String(), "\n"), 1), "one line on stderr")
}

func TestModuleVersion(t *testing.T) {
	cases := []struct {
		reason    string
		bi        *debug.BuildInfo
		ok        bool
		path, ver string
	}{
		{"no build info: (devel)", nil, false, modulePath, "(devel)"},
		{"a work-tree build: (devel)", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "(devel)"}}, true, modulePath, "(devel)"},
		{"go install module@v1.2.3", &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: "v1.2.3"}}, true, modulePath, "v1.2.3"},
		{"an empty version: (devel)", &debug.BuildInfo{Main: debug.Module{Path: modulePath}}, true, modulePath, "(devel)"},
	}
	for _, c := range cases {
		path, ver := moduleVersion(c.bi, c.ok)
		assert.Check(t, is.Equal(path, c.path), c.reason)
		assert.Check(t, is.Equal(ver, c.ver), c.reason)
	}
}

func TestUsageListsEveryCommand(t *testing.T) {
	var out, errOut bytes.Buffer
	assert.Equal(t, dispatch([]string{"help"}, &out, &errOut), exitOK)
	assert.Equal(t, dispatch([]string{"nope"}, &out, &errOut), exitUsage)
	for _, cmd := range []string{"run", "serve", "specs", "mutation", "version"} {
		assert.Check(t, is.Contains(out.String(), "\n  "+cmd+" "), "usage lists %s", cmd)
		assert.Check(t, is.Contains(errOut.String(), cmd), "the unknown-command hint names %s", cmd)
	}
}

func TestCmdSpecsExport(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "new", "dir")
	var out, errOut bytes.Buffer
	assert.Equal(t, dispatch([]string{"specs", "--export", dir}, &out, &errOut), exitOK, errOut.String())
	m, err := specs.Load()
	assert.NilError(t, err)
	for _, op := range m.Operations {
		path := filepath.Join(dir, specs.ExportFile(op))
		assert.Check(t, is.Contains(out.String(), path+"\n"), "the path written is printed")
		data, err := os.ReadFile(path)
		assert.NilError(t, err)
		var doc struct {
			OpenAPI string `json:"openapi"`
			Paths   map[string]any
		}
		assert.NilError(t, json.Unmarshal(data, &doc), path)
		assert.Check(t, is.Equal(doc.OpenAPI, "3.0.3"), path)
		want, err := specs.Export(op, specs.ExportOptions{})
		assert.NilError(t, err)
		assert.Check(t, bytes.Equal(data, want), "%s is specs.Export's document", path)
	}

	one := t.TempDir()
	out.Reset()
	assert.Equal(t, dispatch([]string{"specs", "--op", "ram", "--export", one}, &out, &errOut), exitOK)
	entries, err := os.ReadDir(one)
	assert.NilError(t, err)
	assert.Check(t, is.Len(entries, 1), "--op exports one operation")

	errOut.Reset()
	assert.Equal(t, dispatch([]string{"specs", "--json", "--export", one}, &out, &errOut), exitUsage)
	assert.Check(t, is.Equal(strings.Count(errOut.String(), "\n"), 1), "one line on stderr")
	file := filepath.Join(one, "file")
	assert.NilError(t, os.WriteFile(file, nil, 0o600))
	errOut.Reset()
	assert.Equal(t, dispatch([]string{"specs", "--export", file}, &out, &errOut), exitUsage, "a file is no directory")
	assert.Check(t, is.Equal(strings.Count(errOut.String(), "\n"), 1), "one line on stderr: %q", errOut.String())
}
