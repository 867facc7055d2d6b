package main

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
	"sort"

	"github.com/acsconform/acsconform/specs"
)

// develVersion is the module version of a binary built from a work tree
// rather than installed at a version.
const develVersion = "(devel)"

// cmdVersion is the 'version' subcommand: the tool version, the module
// path and version the binary was built from, the Go version, and a
// SHA-256 digest of each embedded spec document, one per line.
func cmdVersion(args []string, stdout, stderr io.Writer) int {
	if len(args) > 0 {
		if args[0] == "-h" || args[0] == "-help" || args[0] == "--help" {
			fmt.Fprintln(stdout, "usage: acsconform version")
			return exitOK
		}
		fmt.Fprintf(stderr, "acsconform version: unexpected argument %q\n", args[0])
		return exitUsage
	}
	path, mod := moduleVersion(debug.ReadBuildInfo())
	fmt.Fprintf(stdout, "acsconform %s\n", version)
	fmt.Fprintf(stdout, "module     %s %s\n", path, mod)
	fmt.Fprintf(stdout, "go         %s\n", runtime.Version())
	for _, d := range specDigests() {
		fmt.Fprintf(stdout, "spec       %s sha256:%s\n", d.file, d.sha256)
	}
	return exitOK
}

// modulePath is the module's path, for a binary without build info.
const modulePath = "github.com/acsconform/acsconform"

// moduleVersion returns the main module's path and version from build
// info (what debug.ReadBuildInfo returns): "v1.2.3" for a binary that
// 'go install module@v1.2.3' built, develVersion when there is none.
func moduleVersion(bi *debug.BuildInfo, ok bool) (path, version string) {
	path, version = modulePath, develVersion
	if !ok || bi == nil {
		return path, version
	}
	if bi.Main.Path != "" {
		path = bi.Main.Path
	}
	if bi.Main.Version != "" {
		version = bi.Main.Version
	}
	return path, version
}

// specDigest is one embedded spec document and its SHA-256 in hex.
type specDigest struct{ file, sha256 string }

// specDigests digests every embedded spec document, by file name.
func specDigests() []specDigest {
	src := specs.Sources()
	out := make([]specDigest, 0, len(src))
	for file, data := range src {
		sum := sha256.Sum256(data)
		out = append(out, specDigest{file: file, sha256: hex.EncodeToString(sum[:])})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out
}
