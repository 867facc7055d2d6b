package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"

	"github.com/acsconform/acsconform/emulator"
)

// defaultServeAddr is where 'acsconform serve' listens without --addr.
const defaultServeAddr = "127.0.0.1:8080"

const serveUsage = `usage: acsconform serve [--addr HOST:PORT] [--account AK:SECRET]... [--bastionhost-instance ID]... [--ram-user-quota N] [--eds-user-quota N] [--bastionhost-user-quota N] [--no-auth] [--fault NAME]... [--list-faults] [--answer OP:CODE[:NTH[:PARAM=VALUE]]]... [--list-answers]

Serves the reference emulator of RAM CreateUser, eds-user CreateUsers and
Bastionhost CreateUser at http://HOST:PORT/ until SIGINT or SIGTERM.
Accounts: the --account flags, else ` + envAccessKeyID + ` and
` + envAccessKeySecret + `, else the default test account ` + emulator.DefaultAccessKeyID + `
(its secret is in README.md). Each --fault breaks one documented behaviour,
to see the suite fail (--list-faults lists them). Each --answer makes the
emulator answer requests of operation OP (ram, eds-user, bastionhost) with
the documented error CODE, its HTTP status and message, in the Format the
request asks for, without changing the request: every request of OP, or
with NTH > 0 only the NTH (a retry then succeeds), and with PARAM=VALUE
only requests whose parameter PARAM is VALUE. --list-answers lists each
operation's codes. Example, a throttled first call:
  acsconform serve --answer bastionhost:Throttling.User:1

flags:
`

// cmdServe is the 'serve' subcommand: it runs the emulator until SIGINT or
// SIGTERM, then shuts it down gracefully.
func cmdServe(args []string, stdout, stderr io.Writer) int {
	opts, err := parseServe(args, os.Getenv, stdout)
	if errors.Is(err, flag.ErrHelp) || errors.Is(err, errListed) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "acsconform serve: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := serve(ctx, opts, stdout); err != nil {
		fmt.Fprintf(stderr, "acsconform serve: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// parseServe reads the flags of 'serve' into emulator options; env looks
// up the credential variables. -h prints the usage on stdout and returns
// flag.ErrHelp.
func parseServe(args []string, env func(string) string, stdout io.Writer) (emulator.Options, error) {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	opts := emulator.Options{Accounts: map[string]string{}}
	fs.StringVar(&opts.Addr, "addr", defaultServeAddr, "`HOST:PORT` to listen on")
	fs.Func("account", "`AK:SECRET` credentials of an account the emulator accepts (repeatable)", func(v string) error {
		return addAccount(opts.Accounts, v)
	})
	fs.Func("bastionhost-instance", "`ID` of a Bastionhost instance every account has (repeatable; default "+emulator.DefaultBastionhostInstance+" and "+emulator.DefaultBastionhostInstance2+")", func(v string) error {
		if strings.TrimSpace(v) == "" {
			return errors.New("want a non-empty ID")
		}
		opts.BastionhostInstances = append(opts.BastionhostInstances, v)
		return nil
	})
	fs.IntVar(&opts.RAMUserQuota, "ram-user-quota", emulator.DefaultRAMUserQuota, "RAM users per account, at least 1")
	fs.BoolVar(&opts.NoAuth, "no-auth", false, "do not check signatures")
	fs.Func("fault", "switch on the fault injection `NAME` (repeatable; see --list-faults)", func(v string) error {
		if err := emulator.CheckFaults([]string{v}); err != nil {
			return err
		}
		opts.Faults = append(opts.Faults, v)
		return nil
	})
	fs.IntVar(&opts.EDSUserQuota, "eds-user-quota", emulator.DefaultEDSUserQuota, "eds-user users per account, at least 1")
	fs.IntVar(&opts.BastionhostUserQuota, "bastionhost-user-quota", emulator.DefaultBastionhostUserQuota, "users per bastion host instance, at least 1")
	fs.Func("answer", "force the documented answer `OP:CODE[:NTH[:PARAM=VALUE]]` (repeatable; see --list-answers)", func(v string) error {
		a, err := parseAnswer(v)
		if err != nil {
			return err
		}
		opts.Answers = append(opts.Answers, a)
		return nil
	})
	listAnswers := fs.Bool("list-answers", false, "list each operation's documented answers (OP CODE STATUS MESSAGE) and exit")
	list := fs.Bool("list-faults", false, "list the fault injections and exit")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, serveUsage)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
		}
		return opts, err
	}
	if fs.NArg() > 0 {
		return opts, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if *list || *listAnswers {
		if *list {
			listFaults(stdout)
		}
		if *listAnswers {
			listDocumented(stdout)
		}
		return opts, errListed
	}
	if err := checkQuotas(opts); err != nil {
		return opts, err
	}
	return opts, accountsFromEnv(opts.Accounts, env)
}

// checkQuotas refuses a quota below 1.
func checkQuotas(opts emulator.Options) error {
	for _, q := range []struct {
		flag string
		n    int
	}{{"--ram-user-quota", opts.RAMUserQuota}, {"--eds-user-quota", opts.EDSUserQuota}, {"--bastionhost-user-quota", opts.BastionhostUserQuota}} {
		if q.n < 1 {
			return fmt.Errorf("%s %d: want at least 1", q.flag, q.n)
		}
	}
	return nil
}

// errListed is parseServe's answer to --list-faults and --list-answers,
// after listing.
var errListed = errors.New("listed")

// parseAnswer reads OP:CODE[:NTH[:PARAM=VALUE]] (VALUE may hold colons)
// and checks it against the documented answers.
func parseAnswer(v string) (emulator.ForcedAnswer, error) {
	parts := strings.SplitN(v, ":", 4)
	if len(parts) < 2 || parts[0] == "" || parts[1] == "" {
		return emulator.ForcedAnswer{}, errors.New("want OP:CODE[:NTH[:PARAM=VALUE]]")
	}
	a := emulator.ForcedAnswer{Operation: parts[0], Code: parts[1]}
	if len(parts) > 2 {
		n, err := strconv.Atoi(parts[2])
		if err != nil || n < 0 {
			return a, fmt.Errorf("NTH %q: want a whole number, 0 for every request", parts[2])
		}
		a.Nth = n
	}
	if len(parts) > 3 {
		param, value, ok := strings.Cut(parts[3], "=")
		if !ok || param == "" {
			return a, fmt.Errorf("%q: want PARAM=VALUE", parts[3])
		}
		a.Param, a.Value = param, value
	}
	return a, emulator.CheckAnswers([]emulator.ForcedAnswer{a})
}

// listDocumented writes every operation's documented answers, one a line:
// operation, code, HTTP status, message.
func listDocumented(w io.Writer) {
	for _, op := range emulator.Operations() {
		for _, d := range emulator.DocumentedErrors(op) {
			fmt.Fprintf(w, "%s\t%s\t%d\t%s\n", op, d.Code, d.Status, d.Message)
		}
	}
}

// listFaults writes every fault name and what it breaks.
func listFaults(w io.Writer) {
	for _, f := range emulator.Faults() {
		fmt.Fprintf(w, "%s\t%s\n", f, emulator.FaultDescription(f))
	}
}

// addAccount adds "AK:SECRET" to accounts.
func addAccount(accounts map[string]string, v string) error {
	id, secret, ok := strings.Cut(v, ":")
	if !ok || id == "" || secret == "" {
		return errors.New("want AK:SECRET")
	}
	if _, dup := accounts[id]; dup {
		return fmt.Errorf("AccessKeyId %s given twice", id)
	}
	accounts[id] = secret
	return nil
}

// accountsFromEnv fills an empty accounts map from the credential
// variables; with neither set the emulator's default test pair applies.
func accountsFromEnv(accounts map[string]string, env func(string) string) error {
	if len(accounts) > 0 {
		return nil
	}
	id, secret := env(envAccessKeyID), env(envAccessKeySecret)
	switch {
	case id != "" && secret != "":
		accounts[id] = secret
	case id != "" || secret != "":
		return errors.New("set both " + envAccessKeyID + " and " + envAccessKeySecret + ", or neither")
	}
	return nil
}

// serve runs the emulator until ctx is done, then shuts it down
// gracefully. It prints the endpoint and the AccessKeyIds accepted, never
// a secret.
func serve(ctx context.Context, opts emulator.Options, stdout io.Writer) error {
	srv, err := emulator.Start(opts)
	if err != nil {
		return err
	}
	auth := "signatures verified"
	if opts.NoAuth {
		auth = "signatures not checked"
	}
	if len(opts.Faults) > 0 {
		auth += "; FAULTS: " + strings.Join(opts.Faults, ", ")
	}
	for _, a := range opts.Answers {
		auth += fmt.Sprintf("; FORCED %s:%s", a.Operation, a.Code)
	}
	fmt.Fprintf(stdout, "acsconform emulator listening on %s (accounts: %s; bastionhost instances: %s; %s)\n",
		srv.URL(), strings.Join(srv.Emulator.AccessKeyIDs(), ", "),
		strings.Join(srv.Emulator.BastionhostInstances(), ", "), auth)
	<-ctx.Done()
	if err := srv.Close(); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "acsconform emulator stopped")
	return nil
}
