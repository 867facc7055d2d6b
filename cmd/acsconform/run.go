package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/acsconform/acsconform/oracle"
	"github.com/acsconform/acsconform/reports"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/suites"
	"github.com/acsconform/acsconform/wire"
)

// Environment variables holding the default credentials, as the Alibaba
// Cloud SDKs read them.
const (
	envAccessKeyID     = "ALIBABA_CLOUD_ACCESS_KEY_ID"
	envAccessKeySecret = "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
)

// runOptions are the parsed flags of 'acsconform run'.
type runOptions struct {
	target    string
	endpoints map[string]string
	accounts  []runner.Account
	// instances are the Bastionhost instances the accounts have (flags,
	// else the config's); sourceUsers the RAM users they have (SourceUserId).
	instances   []string
	sourceUsers []string
	quota       int
	timeout     time.Duration
	junit       string
	json        string
	verbose     bool
	noAuth      bool
	suite       suites.Options
	env         func(string) string

	// html is --html (or the config's reports.html).
	html string
	// configPath is the config file read ("" for none).
	configPath string
}

// exitInterrupted is the exit status of a run stopped by SIGINT or
// SIGTERM, as a shell reports a process ended by SIGINT.
const exitInterrupted = 130

// cmdRun is the 'run' subcommand. The first SIGINT or SIGTERM stops the
// run: nothing more is sent, what came back is judged and every requested
// report is written, marked interrupted; a second one exits at once.
func cmdRun(args []string, stdout, stderr io.Writer) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(signals)
	go func() {
		if _, ok := <-signals; !ok {
			return
		}
		fmt.Fprintln(stderr, "acsconform run: interrupted: judging what came back and writing the reports (interrupt again to exit at once)")
		cancel()
		if _, ok := <-signals; ok {
			os.Exit(exitInterrupted)
		}
	}()
	return runWith(ctx, args, os.Getenv, stdout, stderr)
}

// runWith parses args, runs the suite and writes the reports; env reads
// the environment.
func runWith(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	o, err := parseRun(args, env, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "acsconform run: %v\n", err)
		return exitUsage
	}
	o.suite.Progress = stderr
	if terminal(stderr) {
		o.suite.ProgressEvery, o.suite.ProgressLive = liveProgressEvery, true
	}
	res, err := run(ctx, o)
	if err != nil && res == nil {
		fmt.Fprintf(stderr, "acsconform run: %v\n", err)
		return exitUsage
	}
	if err := writeReports(o, res, stdout); err != nil {
		fmt.Fprintf(stderr, "acsconform run: %v\n", err)
		return exitUsage
	}
	if ctx.Err() != nil {
		return exitInterrupted
	}
	if res.Failed() || res.Errored() {
		return exitFindings
	}
	return exitOK
}

// parseRun parses the flags of 'acsconform run' into options.
func parseRun(args []string, env func(string) string, stderr io.Writer) (*runOptions, error) {
	o := &runOptions{endpoints: map[string]string{}, env: env}
	fs := flag.NewFlagSet("acsconform run", flag.ContinueOnError)
	// Parse errors are reported by the caller in one line; only -h prints the usage.
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var ops, checks, signature, configPath string
	var accounts []string
	fs.StringVar(&configPath, "config", "", "read the run's settings from `FILE` (default ./"+defaultConfig+" when it exists); flags override it")
	fs.StringVar(&o.html, "html", "", "write a self-contained HTML report to `FILE`")
	fs.StringVar(&o.target, "target", "", "base `URL` of the target; none starts the embedded emulator on loopback")
	fs.Func("endpoint", "a base URL for one operation or product, as `PRODUCT=URL` (repeatable)", func(v string) error {
		k, u, ok := strings.Cut(v, "=")
		if !ok || k == "" || u == "" {
			return errors.New("want PRODUCT=URL")
		}
		o.endpoints[k] = u
		return nil
	})
	fs.StringVar(&ops, "ops", "", "comma-separated `operations` (ram,eds-user,bastionhost); default all")
	fs.StringVar(&checks, "checks", "", "run the checks whose ID matches this `regexp`")
	fs.Int64Var(&o.suite.Seed, "seed", 1, "`seed` of every generated case")
	fs.IntVar(&o.suite.Examples, "examples", 50, "generated cases per plan and operation")
	fs.IntVar(&o.suite.PacedExamples, "paced-examples", 0, "generated cases per plan of an operation with a documented rate limit, its traffic paced (default a fifth of --examples, rounded up)")
	fs.IntVar(&o.suite.Workers, "workers", 4, "case sequences sent at once per operation (a rate-limited one uses at least one per account)")
	fs.StringVar(&signature, "signature", "", "sign with `VERSION` v3, v1 or none; default alternates v3 and v1")
	fs.Func("account", "credentials of one account, as `AK:SECRET` (repeatable; a second enables the cross-account checks); default "+envAccessKeyID+" and "+envAccessKeySecret, func(v string) error {
		accounts = append(accounts, v)
		return nil
	})
	fs.Func("bastionhost-instance", "`ID` of a Bastionhost instance the accounts have (repeatable: with two, a name taken on one must be free on the other)", func(v string) error {
		if v == "" {
			return errors.New("want an instance ID")
		}
		o.instances = append(o.instances, v)
		return nil
	})
	fs.Func("bastionhost-source-user-id", "`UserId` of a RAM user every account has, for Bastionhost's SourceUserId (repeatable): with none, any SourceUserId may be accepted or refused", func(v string) error {
		if v == "" {
			return errors.New("want a RAM UserId")
		}
		o.sourceUsers = append(o.sourceUsers, v)
		return nil
	})
	fs.IntVar(&o.quota, "ram-user-quota", 0, "the target's RAM user `quota` per account (enables quota-enforced)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "bound on each exchange, its whole body included")
	fs.DurationVar(&o.suite.MaxTime, "max-time", 0, "stop the run after `DURATION`: nothing more is sent, what came back is judged, the checks cut short are errored (default: a budget from the plan, printed at the start)")
	fs.StringVar(&o.junit, "junit", "", "write a JUnit XML report to `FILE`")
	fs.StringVar(&o.json, "json", "", "write a JSON report to `FILE`")
	fs.BoolVar(&o.suite.Strict, "strict", false, "warnings (ambiguous rules) fail too")
	fs.BoolVar(&o.noAuth, "no-auth", false, "the target does not check signatures (like 'acsconform serve --no-auth'): skip signature-required")
	fs.BoolVar(&o.verbose, "v", false, "print each failing exchange")
	fs.BoolVar(&o.suite.Shrink, "shrink", true, "shrink the first generated finding of each check to a minimal failing request (--shrink=false: keep findings as found)")
	fs.Func("shard", "run shard `K/N` of the cases only (1 ≤ K ≤ N; 'acsconform merge' joins the N shards' reports)", func(v string) (err error) {
		o.suite.Shard, err = suites.ParseShard(v)
		return err
	})
	fs.IntVar(&o.suite.ShrinkBudget, "shrink-budget", suites.DefaultShrinkBudget, "bound on the requests sent shrinking findings over the whole run")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: acsconform run [flags]\n\nRuns the conformance checks against a target (the embedded emulator when --target is not given).\nExit status: 0 when no check fails, 1 when one does, 2 on a usage or setup error.\n\nflags:")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if setFlags(fs)["paced-examples"] && o.suite.PacedExamples < 1 {
		return nil, errors.New("--paced-examples must be at least 1 (leave it out for a fifth of --examples)")
	}
	if err := o.useConfig(fs, configPath, configFlags{ops: &ops, checks: &checks, accounts: &accounts}); err != nil {
		return nil, err
	}
	return o, o.complete(ops, checks, signature, accounts)
}

// setFlags are the names of the flags set on the command line.
func setFlags(fs *flag.FlagSet) map[string]bool {
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	return set
}

// complete checks the flag values and fills the suite options from them.
func (o *runOptions) complete(ops, checks, signature string, accounts []string) error {
	for _, op := range strings.Split(ops, ",") {
		if op = strings.TrimSpace(op); op != "" {
			o.suite.Ops = append(o.suite.Ops, op)
		}
	}
	if checks != "" {
		re, err := regexp.Compile(checks)
		if err != nil {
			return fmt.Errorf("--checks: %v", err)
		}
		if !matchesSome(re) {
			return fmt.Errorf("--checks %q matches no check (the checks: %s)", checks, checkIDs())
		}
		o.suite.Checks = re
	}
	switch wire.Signature(signature) {
	case "":
	case wire.SignV3, wire.SignV1, wire.SignNone:
		o.suite.Signatures = []wire.Signature{wire.Signature(signature)}
	default:
		return fmt.Errorf("--signature %q: want v3, v1 or none", signature)
	}
	if o.suite.Examples < 1 || o.suite.Workers < 1 || o.suite.ShrinkBudget < 1 || o.quota < 0 || o.timeout <= 0 || o.suite.MaxTime < 0 {
		return errors.New("--examples, --workers and --shrink-budget must be at least 1 (--shrink=false turns shrinking off), --ram-user-quota, --timeout and --max-time not negative")
	}
	parsed, err := parseAccounts(accounts)
	if err != nil {
		return err
	}
	o.accounts = append(o.accounts, parsed...)
	if o.target == "" && len(o.endpoints) > 0 {
		return errors.New("--endpoint needs --target (or gives every operation's URL with it)")
	}
	return o.checkUpFront()
}

// checkUpFront refuses, before any request, what would fail or leak later:
// a target or endpoint URL with a fragment, a query or user information
// (credentials go in --account), one file named for two reports, and a
// report path that cannot be written.
func (o *runOptions) checkUpFront() error {
	if o.target != "" {
		if err := runner.CheckURL(o.target); err != nil {
			return fmt.Errorf("--target: %v", err)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(o.endpoints)) {
		if err := runner.CheckURL(o.endpoints[k]); err != nil {
			return fmt.Errorf("--endpoint %s: %v", k, err)
		}
	}
	if o.junit != "" && o.json != "" && samePath(o.junit, o.json) {
		return fmt.Errorf("--junit and --json name the same file %s: give each report its own", o.json)
	}
	for _, path := range []string{o.junit, o.json} {
		if path != "" {
			if err := writable(path); err != nil {
				return err
			}
		}
	}
	return nil
}

// samePath reports whether two paths name the same file once cleaned and
// made absolute (or, when both exist, are the same file).
func samePath(a, b string) bool {
	absA, errA := filepath.Abs(a)
	absB, errB := filepath.Abs(b)
	if errA == nil && errB == nil && filepath.Clean(absA) == filepath.Clean(absB) {
		return true
	}
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(ia, ib)
}

// writable checks that a report can be written at path: its directory is
// created and the file opened for writing (a file this creates is removed
// again, so a run that stops early leaves nothing behind).
func writable(path string) error {
	if info, err := os.Stat(path); err == nil && info.IsDir() {
		return fmt.Errorf("cannot write report %s: it is a directory", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("cannot write report %s: %v", path, err)
	}
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("cannot write report %s: %v", path, err)
	}
	f.Close()
	if os.IsNotExist(statErr) {
		os.Remove(path)
	}
	return nil
}

// matchesSome reports whether re matches the ID of some check.
func matchesSome(re *regexp.Regexp) bool {
	for _, c := range suites.Checks() {
		if re.MatchString(c.ID) {
			return true
		}
	}
	return false
}

// checkIDs lists the check IDs, comma-separated.
func checkIDs() string {
	var ids []string
	for _, c := range suites.Checks() {
		ids = append(ids, c.ID)
	}
	return strings.Join(ids, ", ")
}

// run starts the target (the embedded emulator when none is named),
// checks it answers, and runs the suite.
func run(ctx context.Context, o *runOptions) (*results.Result, error) {
	target, stop, err := o.startTarget(ctx)
	if err != nil {
		return nil, err
	}
	defer stop()
	if err := reachable(target); err != nil {
		return nil, err
	}
	o.suite.Tool = version
	o.suite.Replay = o.replay()
	o.suite.ReplayReport = o.json
	if o.target == "" {
		o.suite.TargetName = "embedded emulator"
	} else {
		o.suite.Nonce = runNonce()
	}
	return suites.Execute(ctx, target, o.suite)
}

// startTarget declares the named target, or starts the embedded emulator.
func (o *runOptions) startTarget(ctx context.Context) (runner.Target, func(), error) {
	t := runner.Target{URL: o.target, Endpoints: o.endpoints, Accounts: o.accounts, Timeout: o.timeout}
	o.suite.Declared = specs.Declarations{}
	o.suite.Declared.Declare(specs.RuleExists, o.instances...)
	if len(o.sourceUsers) > 0 {
		o.suite.Declared.DeclareResource(oracle.ResourceRAMUser, o.sourceUsers...)
	}
	if o.quota > 0 {
		o.suite.Declared.SetLimit(specs.RuleQuota, o.quota)
	}
	if o.target == "" {
		if o.noAuth {
			return t, nil, errors.New("--no-auth describes a --target: the embedded emulator checks signatures")
		}
		return o.embedded(ctx)
	}
	if len(t.Accounts) == 0 {
		accounts, err := credentials(nil, o.env)
		if err != nil {
			return t, nil, err
		}
		t.Accounts = accounts
	}
	t.ChecksSignatures = !o.noAuth
	return t, func() {}, nil
}

// embedded starts the reference emulator on loopback (startEmbedded:
// fresh accounts whose secrets are never printed, its instance, its quota
// and signature checking declared) with the exchange timeout asked for.
func (o *runOptions) embedded(ctx context.Context) (runner.Target, func(), error) {
	emb, stop, err := startEmbedded(ctx, nil)
	if err != nil {
		return runner.Target{}, nil, err
	}
	emb.target.Timeout = o.timeout
	o.suite.Declared = emb.declared
	return emb.target, func() { stop() }, nil
}

// reachable dials every base URL of the target once: an unreachable
// target at start-up is a setup error, not a run full of findings.
func reachable(t runner.Target) error {
	urls := []string{t.URL}
	for _, u := range t.Endpoints {
		urls = append(urls, u)
	}
	for _, raw := range urls {
		if raw == "" {
			continue
		}
		if err := runner.CheckURL(raw); err != nil {
			return err
		}
		u, _ := url.Parse(raw)
		host := u.Host
		if u.Port() == "" {
			host = net.JoinHostPort(u.Hostname(), map[string]string{"http": "80", "https": "443"}[u.Scheme])
		}
		conn, err := net.DialTimeout("tcp", host, 5*time.Second)
		if err != nil {
			return fmt.Errorf("target %s is unreachable: %v", raw, err)
		}
		conn.Close()
	}
	return nil
}

// replay is the command prefix findings use to replay themselves: the
// target and its declarations, never a credential.
func (o *runOptions) replay() string {
	s := "acsconform run"
	if o.configPath != "" {
		s += " --config " + o.configPath
		// The suite leaves a default --paced-examples out of its lines;
		// one set explicitly to it must override the config's all the same.
		if p := o.suite.PacedExamples; p != 0 && p == suites.DefaultPacedExamples(o.suite.Examples) {
			s += " --paced-examples " + strconv.Itoa(p)
		}
	}
	if o.target != "" {
		s += " --target " + o.target
	}
	for _, k := range slices.Sorted(maps.Keys(o.endpoints)) {
		s += " --endpoint " + k + "=" + o.endpoints[k]
	}
	for _, id := range o.instances {
		s += " --bastionhost-instance " + id
	}
	for _, id := range o.sourceUsers {
		s += " --bastionhost-source-user-id " + id
	}
	if o.quota > 0 {
		s += " --ram-user-quota " + strconv.Itoa(o.quota)
	}
	if !o.suite.Shrink {
		s += " --shrink=false"
	} else if o.suite.ShrinkBudget != suites.DefaultShrinkBudget {
		s += " --shrink-budget " + strconv.Itoa(o.suite.ShrinkBudget)
	}
	return s
}

// writeReports writes the summary to stdout and the requested files.
func writeReports(o *runOptions, res *results.Result, stdout io.Writer) error {
	if err := reports.Text(stdout, res, reports.TextOptions{Verbose: o.verbose}); err != nil {
		return err
	}
	if o.junit != "" {
		if err := writeFile(o.junit, func(w io.Writer) error { return reports.JUnit(w, res, reports.JUnitOptions{}) }); err != nil {
			return err
		}
	}
	if o.json != "" {
		if err := writeFile(o.json, func(w io.Writer) error { return reports.JSON(w, res) }); err != nil {
			return err
		}
	}
	if o.html != "" {
		return writeFile(o.html, func(w io.Writer) error { return reports.HTML(w, res) })
	}
	return nil
}

// writeFile writes a report to path, creating its directory.
func writeFile(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	return f.Close()
}

// randomHex is n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// runNonce makes a run's generated names differ from earlier runs' against
// a long-lived target.
func runNonce() string { return randomHex(6) }

// liveProgressEvery is how often a terminal's progress line is rewritten.
const liveProgressEvery = 2 * time.Second

// terminal reports whether w is a terminal (a character device).
func terminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	info, err := f.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}
