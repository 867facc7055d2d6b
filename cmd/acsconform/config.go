package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"regexp"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v4"

	"github.com/acsconform/acsconform/runner"
)

// defaultConfig is the file 'acsconform run' reads when no --config is
// given and it is in the working directory.
const defaultConfig = "acsconform.yaml"

// config is acsconform.yaml: what a run is pointed at and how, never a
// secret (accounts name the environment variables holding theirs). Every
// field is optional; a flag given on the command line overrides it. The
// yaml names are the keys of acsconform.schema.json (a test holds them
// equal).
type config struct {
	// Target is the target's base URL; "" means the embedded emulator.
	Target string `yaml:"target"`
	// Endpoints are base URLs per operation or product code.
	Endpoints map[string]string `yaml:"endpoints"`
	// Accounts are the target's accounts, by environment variable names.
	Accounts []configAccount `yaml:"accounts"`
	// Instances are Bastionhost instance IDs the accounts own.
	Instances []string `yaml:"instances"`
	// Quota is the target's RAM user quota per account; 0 means undeclared.
	Quota *int `yaml:"quota"`
	// SourceUserIDs are Bastionhost SourceUserIds the target knows.
	SourceUserIDs []string `yaml:"source_user_ids"`
	// Checks is a regexp selecting checks by ID.
	Checks string `yaml:"checks"`
	// Ops are the operations to check; empty means all.
	Ops []string `yaml:"ops"`
	// Seed, Examples and PacedExamples are --seed, --examples and
	// --paced-examples.
	Seed          *int64 `yaml:"seed"`
	Examples      *int   `yaml:"examples"`
	PacedExamples *int   `yaml:"paced_examples"`
	// Reports are the report files to write.
	Reports configReports `yaml:"reports"`
}

// configAccount names the environment variables holding one account's
// AccessKeyId and AccessKeySecret.
type configAccount struct {
	AccessKeyIDEnv     string `yaml:"access_key_id_env"`
	AccessKeySecretEnv string `yaml:"access_key_secret_env"`
}

// configReports are the paths of the reports to write ("" for none).
type configReports struct {
	JUnit string `yaml:"junit"`
	JSON  string `yaml:"json"`
	HTML  string `yaml:"html"`
}

// envName is a POSIX environment variable name.
var envName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// loadConfig reads and checks a config file strictly: an unknown key, a
// value of the wrong type, a second document or a value that cannot be
// right is an error naming the file, in one line.
func loadConfig(path string) (*config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %v", err)
	}
	c, err := parseConfig(data)
	if err != nil {
		return nil, fmt.Errorf("config %s: %v", path, err)
	}
	return c, nil
}

// parseConfig decodes and checks a config document.
func parseConfig(data []byte) (*config, error) {
	c := &config{}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, oneLine(err)
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("more than one YAML document")
	}
	return c, c.check()
}

// oneLine turns a YAML error (which may list several problems, one a
// line) into one line, naming an unknown key as such.
func oneLine(err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	for _, prefix := range []string{"unmarshal errors:", "construct errors:"} {
		msg = strings.TrimPrefix(msg, prefix)
	}
	msg = unknownField.ReplaceAllString(msg, `unknown key "$1"`)
	var parts []string
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			parts = append(parts, l)
		}
	}
	return errors.New(strings.Join(parts, "; "))
}

// unknownField is how the YAML decoder words an unknown key.
var unknownField = regexp.MustCompile(`field (\S+) not found in type [\w.]+`)

// check finds the values no run could use.
func (c *config) check() error {
	if c.Target != "" {
		if err := runner.CheckURL(c.Target); err != nil {
			return fmt.Errorf("target: %v", err)
		}
	}
	for k, u := range c.Endpoints {
		if k == "" || u == "" {
			return errors.New("endpoints: want PRODUCT: URL, neither empty")
		}
	}
	for i, a := range c.Accounts {
		for _, name := range []struct{ key, value string }{{"access_key_id_env", a.AccessKeyIDEnv}, {"access_key_secret_env", a.AccessKeySecretEnv}} {
			if !envName.MatchString(name.value) {
				return fmt.Errorf("accounts[%d].%s: %q is not an environment variable name (the file names variables, it never holds a credential)", i, name.key, clipValue(name.value))
			}
		}
	}
	if err := distinctIDs("instances", c.Instances); err != nil {
		return err
	}
	if err := distinctIDs("source_user_ids", c.SourceUserIDs); err != nil {
		return err
	}
	if c.Quota != nil && *c.Quota < 0 {
		return errors.New("quota: must not be negative")
	}
	if c.Examples != nil && *c.Examples < 1 {
		return errors.New("examples: must be at least 1")
	}
	if c.PacedExamples != nil && *c.PacedExamples < 1 {
		return errors.New("paced_examples: must be at least 1")
	}
	if c.Checks != "" {
		if _, err := regexp.Compile(c.Checks); err != nil {
			return fmt.Errorf("checks: %v", err)
		}
	}
	for i, op := range c.Ops {
		if strings.TrimSpace(op) == "" || strings.Contains(op, ",") {
			return fmt.Errorf("ops[%d]: want one operation ID (ram, eds-user, bastionhost)", i)
		}
	}
	return nil
}

// distinctIDs checks a list of identifiers: non-empty, no white space or
// control character, none twice.
func distinctIDs(key string, ids []string) error {
	seen := map[string]bool{}
	for i, id := range ids {
		if id == "" || strings.IndexFunc(id, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0 {
			return fmt.Errorf("%s[%d]: want an ID without spaces", key, i)
		}
		if seen[id] {
			return fmt.Errorf("%s[%d]: %q is listed twice", key, i, clipValue(id))
		}
		seen[id] = true
	}
	return nil
}

// clipValue shortens a value quoted in an error: a wrong value may be a
// credential pasted by mistake, so at most its first 4 characters show.
func clipValue(s string) string {
	r := []rune(s)
	if len(r) <= 4 {
		return s
	}
	return string(r[:4]) + "…"
}

// configFlags are the flag values a config fills when the flag was not set.
type configFlags struct {
	ops, checks *string
	accounts    *[]string
}

// useConfig loads the config (--config, else ./acsconform.yaml when it
// exists) and fills every option whose flag was not given from it.
func (o *runOptions) useConfig(fset *flag.FlagSet, path string, f configFlags) error {
	set := setFlags(fset)
	if !set["config"] {
		if _, err := os.Stat(defaultConfig); errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		path = defaultConfig
	}
	c, err := loadConfig(path)
	if err != nil {
		return err
	}
	o.configPath = path
	if !set["target"] {
		o.target = c.Target
	}
	if !set["endpoint"] && len(c.Endpoints) > 0 {
		o.endpoints = c.Endpoints
	}
	if !set["account"] && len(c.Accounts) > 0 && o.target != "" {
		accts, err := c.resolveAccounts(o.env)
		if err != nil {
			return err
		}
		o.accounts = accts
		*f.accounts = nil
	}
	if !set["bastionhost-instance"] {
		o.instances = c.Instances
	}
	if !set["ram-user-quota"] && c.Quota != nil {
		o.quota = *c.Quota
	}
	if !set["bastionhost-source-user-id"] {
		o.sourceUsers = c.SourceUserIDs
	}
	if !set["checks"] && c.Checks != "" {
		*f.checks = c.Checks
	}
	if !set["ops"] && len(c.Ops) > 0 {
		*f.ops = strings.Join(c.Ops, ",")
	}
	if !set["seed"] && c.Seed != nil {
		o.suite.Seed = *c.Seed
	}
	if !set["examples"] && c.Examples != nil {
		o.suite.Examples = *c.Examples
	}
	if !set["paced-examples"] && c.PacedExamples != nil {
		o.suite.PacedExamples = *c.PacedExamples
	}
	for _, r := range []struct {
		flag string
		dst  *string
		val  string
	}{{"junit", &o.junit, c.Reports.JUnit}, {"json", &o.json, c.Reports.JSON}, {"html", &o.html, c.Reports.HTML}} {
		if !set[r.flag] && r.val != "" {
			*r.dst = r.val
		}
	}
	return nil
}

// resolveAccounts reads each account's credentials from the environment
// variables the config names; an unset one is an error naming the
// variable, never a value.
func (c *config) resolveAccounts(env func(string) string) ([]runner.Account, error) {
	var out []runner.Account
	for i, a := range c.Accounts {
		id, secret := env(a.AccessKeyIDEnv), env(a.AccessKeySecretEnv)
		switch {
		case id == "":
			return nil, fmt.Errorf("config accounts[%d]: environment variable %s is not set", i, a.AccessKeyIDEnv)
		case secret == "":
			return nil, fmt.Errorf("config accounts[%d]: environment variable %s is not set", i, a.AccessKeySecretEnv)
		}
		out = append(out, runner.Account{AccessKeyID: id, AccessKeySecret: secret})
	}
	return out, nil
}

// exampleConfig is what 'acsconform init' writes.
//
//go:embed acsconform.example.yaml
var exampleConfig string

// cmdInit is the 'init' subcommand: it writes a commented example config
// (acsconform.yaml, or the path given) and never overwrites a file.
func cmdInit(args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("acsconform init", flag.ContinueOnError)
	fset.SetOutput(io.Discard)
	if err := fset.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: acsconform init [FILE]\n\nWrites a commented example config to FILE (default "+defaultConfig+"); an existing file is never overwritten.")
			return exitOK
		}
		fmt.Fprintf(stderr, "acsconform init: %v\n", err)
		return exitUsage
	}
	if fset.NArg() > 1 {
		fmt.Fprintf(stderr, "acsconform init: unexpected argument %q\n", fset.Arg(1))
		return exitUsage
	}
	path := defaultConfig
	if fset.NArg() == 1 {
		path = fset.Arg(0)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			fmt.Fprintf(stderr, "acsconform init: %s exists; not overwriting it\n", path)
		} else {
			fmt.Fprintf(stderr, "acsconform init: %v\n", err)
		}
		return exitUsage
	}
	if _, err := io.WriteString(f, exampleConfig); err != nil {
		f.Close()
		fmt.Fprintf(stderr, "acsconform init: writing %s: %v\n", path, err)
		return exitUsage
	}
	if err := f.Close(); err != nil {
		fmt.Fprintf(stderr, "acsconform init: writing %s: %v\n", path, err)
		return exitUsage
	}
	fmt.Fprintf(stdout, "wrote %s: edit it, then run 'acsconform run'\n", path)
	return exitOK
}
