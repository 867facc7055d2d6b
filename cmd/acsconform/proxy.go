package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/acsconform/acsconform/proxy"
	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
)

// proxyOptions are the parsed flags of 'acsconform proxy'.
type proxyOptions struct {
	listen, upstream string
	accounts         []runner.Account
	instances        []string
	noAuth, verbose  bool
	strict           bool
	junit, json      string
	duration         time.Duration
	timeout          time.Duration
}

// cmdProxy is the 'proxy' subcommand: it serves until SIGINT, SIGTERM or
// --duration, then reports.
func cmdProxy(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return proxyWith(ctx, args, os.Getenv, stdout, stderr, nil)
}

// proxyWith parses args, serves the proxy until ctx ends or the duration
// passes, and writes its findings; ready, when set, gets the proxy's URL
// once it listens.
func proxyWith(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer, ready func(url string)) int {
	o, err := parseProxy(args, env, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "acsconform proxy: %v\n", err)
		return exitUsage
	}
	res, err := serveProxy(ctx, o, stderr, ready)
	if err != nil {
		fmt.Fprintf(stderr, "acsconform proxy: %v\n", err)
		return exitUsage
	}
	if err := writeReports(&runOptions{junit: o.junit, json: o.json, verbose: o.verbose}, res, stdout); err != nil {
		fmt.Fprintf(stderr, "acsconform proxy: %v\n", err)
		return exitUsage
	}
	if res.Failed() {
		return exitFindings
	}
	return exitOK
}

// parseProxy parses the flags of 'acsconform proxy'.
func parseProxy(args []string, env func(string) string, stderr io.Writer) (*proxyOptions, error) {
	o := &proxyOptions{}
	fs := flag.NewFlagSet("acsconform proxy", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var accounts []string
	fs.StringVar(&o.listen, "listen", "127.0.0.1:8080", "`ADDR` the proxy listens on (port 0 picks one)")
	fs.StringVar(&o.upstream, "upstream", "", "base `URL` requests are passed to; none starts the embedded emulator behind the proxy")
	fs.Func("account", "credentials of one account, as `AK:SECRET` (repeatable): their signatures are verified; without --upstream they are the accounts the embedded emulator accepts (default "+envAccessKeyID+" and "+envAccessKeySecret+", else fresh random ones)", func(v string) error {
		accounts = append(accounts, v)
		return nil
	})
	fs.Func("bastionhost-instance", "`ID` of a Bastionhost instance the upstream's accounts have (repeatable)", func(v string) error {
		if v == "" {
			return errors.New("want an instance ID")
		}
		o.instances = append(o.instances, v)
		return nil
	})
	fs.BoolVar(&o.noAuth, "no-auth", false, "the upstream does not check signatures: request-signature is skipped")
	fs.StringVar(&o.junit, "junit", "", "write a JUnit XML report to `FILE`")
	fs.StringVar(&o.json, "json", "", "write a JSON report to `FILE`")
	fs.DurationVar(&o.duration, "duration", 0, "stop after `D` (default: at SIGINT or SIGTERM)")
	fs.DurationVar(&o.timeout, "timeout", proxy.DefaultTimeout, "bound on each upstream exchange")
	fs.BoolVar(&o.strict, "strict", false, "warnings (ambiguous rules) fail too")
	fs.BoolVar(&o.verbose, "v", false, "print each failing exchange")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: acsconform proxy --listen ADDR [--upstream URL] [--account AK:SECRET]... [flags]\n\nPasses every request to the upstream (the embedded emulator when --upstream is not given) and its answer back\nunchanged, and checks both against the specs. At SIGINT, SIGTERM or after --duration it writes its findings.\nExit status: 0 when nothing was found, 1 when something was, 2 on a usage or setup error.\n\nflags:")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if o.duration < 0 || o.timeout <= 0 {
		return nil, errors.New("--duration must not be negative, --timeout must be positive")
	}
	var err error
	if o.accounts, err = parseAccounts(accounts); err != nil {
		return nil, err
	}
	if len(o.accounts) == 0 {
		if id, secret := env(envAccessKeyID), env(envAccessKeySecret); id != "" && secret != "" {
			o.accounts = []runner.Account{{AccessKeyID: id, AccessKeySecret: secret}}
		}
	}
	if o.upstream == "" && o.noAuth {
		return nil, errors.New("--no-auth describes an --upstream: the embedded emulator checks signatures")
	}
	if o.upstream != "" {
		if err := runner.CheckURL(o.upstream); err != nil {
			return nil, fmt.Errorf("--upstream: %v", err)
		}
	}
	return o, nil
}

// serveProxy starts the upstream when none is named, serves the proxy
// until ctx ends or the duration passes, and returns what it found.
func serveProxy(ctx context.Context, o *proxyOptions, stderr io.Writer, ready func(string)) (*results.Result, error) {
	popts := proxy.Options{Upstream: o.upstream, Accounts: o.accounts, NoAuth: o.noAuth, Strict: o.strict,
		Timeout: o.timeout, Tool: version, Command: o.command()}
	popts.Declared.Declare(specs.RuleExists, o.instances...)
	what := o.upstream
	if o.upstream == "" {
		var emb embeddedTarget
		var stop func() error
		var err error
		if len(o.accounts) > 0 {
			emb, stop, err = startEmbeddedWith(ctx, nil, o.accounts)
		} else {
			emb, stop, err = startEmbedded(ctx, nil)
		}
		if err != nil {
			return nil, err
		}
		defer stop()
		popts.Upstream, popts.Accounts, popts.Declared, popts.Fresh = emb.target.URL, emb.target.Accounts, emb.declared, true
		what = "the embedded emulator (" + emb.target.URL + ")"
	} else if err := reachable(runner.Target{URL: o.upstream}); err != nil {
		return nil, err
	}
	p, err := proxy.New(popts)
	if err != nil {
		return nil, err
	}
	srv, err := proxy.Listen(p, o.listen)
	if err != nil {
		return nil, fmt.Errorf("--listen %s: %v", o.listen, err)
	}
	var ids []string
	for _, a := range popts.Accounts {
		ids = append(ids, a.AccessKeyID)
	}
	fmt.Fprintf(stderr, "acsconform proxy: listening on %s, passing to %s\n", srv.URL(), what)
	fmt.Fprintf(stderr, "acsconform proxy: accounts verified: %s\n", orNone(strings.Join(ids, ", ")))
	if v := popts.Declared.Values[specs.RuleExists]; len(v) > 0 {
		fmt.Fprintf(stderr, "acsconform proxy: Bastionhost instances: %s\n", strings.Join(v, ", "))
	}
	if ready != nil {
		ready(srv.URL())
	}
	if o.duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.duration)
		defer cancel()
	}
	<-ctx.Done()
	shut, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	srv.Close(shut)
	return p.Result(), nil
}

// orNone is s, or "none".
func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}

// command is the command line the result names, without credentials.
func (o *proxyOptions) command() string {
	s := "acsconform proxy --listen " + o.listen
	if o.upstream != "" {
		s += " --upstream " + o.upstream
	}
	if o.noAuth {
		s += " --no-auth"
	}
	return s
}
