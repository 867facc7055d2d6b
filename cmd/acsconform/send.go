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
	"time"

	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// sendOptions are the parsed flags of 'acsconform send'.
type sendOptions struct {
	op        *specs.Operation
	target    runner.Target
	signature wire.Signature
	request   wire.Request
}

// cmdSend is the 'send' subcommand.
func cmdSend(args []string, stdout, stderr io.Writer) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	return sendWith(ctx, args, os.Getenv, stdout, stderr)
}

// sendWith signs one request, prints it as a curl line carrying its real
// signature, sends the same request signed afresh and prints the answer.
// Exit status: 0 when an answer came, 1 when none did, 2 on bad input.
func sendWith(ctx context.Context, args []string, env func(string) string, stdout, stderr io.Writer) int {
	o, err := parseSend(args, env, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "acsconform send: %v\n", err)
		return exitUsage
	}
	client, err := runner.NewClient(o.target)
	if err != nil {
		fmt.Fprintf(stderr, "acsconform send: %v\n", err)
		return exitUsage
	}
	defer client.Close()
	opts := runner.SendOptions{Signature: o.signature}
	signed, err := client.Signed(o.op, o.request, opts)
	if err != nil {
		fmt.Fprintf(stderr, "acsconform send: %v\n", err)
		return exitUsage
	}
	if o.signature == wire.SignNone {
		fmt.Fprintln(stdout, "# unsigned")
	} else {
		fmt.Fprintf(stdout, "# signed %s with a nonce no request has used: reproduces when pasted within 15 minutes\n", time.Now().UTC().Format(time.RFC3339))
	}
	if len(o.target.Secrets) > 0 {
		fmt.Fprintln(stdout, "# put back the secret values you passed where it says "+runner.Redacted+" (they are signed as passed)")
	}
	fmt.Fprintln(stdout, runner.CurlSigned(signed))
	ex := client.Send(ctx, o.op, o.request, opts)
	fmt.Fprintln(stdout, "# the answer to the same request, sent signed afresh:")
	if ex.Status == 0 {
		fmt.Fprintf(stdout, "no response: %s\n", ex.Err)
		return exitFindings
	}
	fmt.Fprintf(stdout, "HTTP %d %s\n%s\n", ex.Status, ex.RespHeader.Get("Content-Type"), ex.RespBody)
	if ex.Err != "" {
		fmt.Fprintf(stdout, "(%s)\n", ex.Err)
	}
	return exitOK
}

// parseSend parses the flags and Name=Value arguments of 'acsconform send'.
func parseSend(args []string, env func(string) string, stderr io.Writer) (*sendOptions, error) {
	fs := flag.NewFlagSet("acsconform send", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var opID, target, signature string
	var accounts []string
	var timeout time.Duration
	fs.StringVar(&opID, "op", "", "the `operation` (ram, eds-user, bastionhost)")
	fs.StringVar(&target, "target", "", "base `URL` of the target")
	fs.StringVar(&signature, "signature", "v3", "sign with `VERSION` v3, v1 or none")
	fs.Func("account", "credentials as `AK:SECRET`; default "+envAccessKeyID+" and "+envAccessKeySecret, func(v string) error {
		accounts = append(accounts, v)
		return nil
	})
	fs.DurationVar(&timeout, "timeout", 10*time.Second, "bound on the exchange")
	params, err := parseInterleaved(fs, args)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "usage: acsconform send --op OP --target URL [--account AK:SECRET] [--signature v3|v1|none] Name=Value...\n\nSigns one request, prints it as a curl line with its real signature (paste it within 15 minutes),\nsends the same request signed afresh and prints the answer. List fields are written Users.1.EndUserId=x;\nFormat=XML asks for XML. Exit status: 0 when an answer came, 1 when none did, 2 on bad input.\n\nflags:")
			fs.SetOutput(stderr)
			fs.PrintDefaults()
		}
		return nil, err
	}
	model, err := specs.Load()
	if err != nil {
		return nil, fmt.Errorf("loading the specs: %w", err)
	}
	op, ok := model.Operation(opID)
	if !ok {
		return nil, fmt.Errorf("--op %q: want one of ram, eds-user, bastionhost", opID)
	}
	o := &sendOptions{op: op, signature: wire.Signature(signature)}
	switch o.signature {
	case wire.SignV3, wire.SignV1, wire.SignNone:
	default:
		return nil, fmt.Errorf("--signature %q: want v3, v1 or none", signature)
	}
	if target == "" {
		return nil, errors.New("--target URL is required")
	}
	if err := runner.CheckURL(target); err != nil {
		return nil, fmt.Errorf("--target: %v", err)
	}
	if timeout <= 0 {
		return nil, errors.New("--timeout must be positive")
	}
	o.target = runner.Target{URL: target, Timeout: timeout}
	if o.target.Accounts, err = credentials(accounts, env); err != nil {
		return nil, err
	}
	for _, a := range o.target.Accounts {
		o.target.Secrets = append(o.target.Secrets, a.AccessKeySecret)
	}
	var query, body []wire.Pair
	for _, arg := range params {
		name, value, ok := strings.Cut(arg, "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("argument %q: want Name=Value", arg)
		}
		if name == "Format" {
			o.request.Format = value
			continue
		}
		p := wire.Pair{Key: name, Value: value, In: paramPlace(op, name)}
		if p.In == string(specs.InBody) {
			body = append(body, p)
		} else {
			query = append(query, p)
		}
	}
	format := o.request.Format
	// Known parameters go where the spec puts them, anything else verbatim.
	o.request, _ = wire.Decode(op, query, body)
	o.request.Format = format
	// the secret parameters' values (passwords) are the user's: redacted
	o.target.Secrets = append(o.target.Secrets, runner.SecretValues(op, o.request)...)
	return o, nil
}

// parseInterleaved parses flags that may come before, between or after
// the positional arguments, and returns the positional ones.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

// credentials are the accounts given as AK:SECRET, else the one of the
// environment; an error when there is none.
func credentials(accounts []string, env func(string) string) ([]runner.Account, error) {
	out, err := parseAccounts(accounts)
	if err != nil || len(out) > 0 {
		return out, err
	}
	id, secret := env(envAccessKeyID), env(envAccessKeySecret)
	if id == "" || secret == "" {
		return nil, errors.New("no credentials: pass --account AK:SECRET or set " + envAccessKeyID + " and " + envAccessKeySecret)
	}
	return []runner.Account{{AccessKeyID: id, AccessKeySecret: secret}}, nil
}

// paramPlace is where the spec puts the parameter a wire name belongs to;
// the query for a name it does not know.
func paramPlace(op *specs.Operation, name string) string {
	top, _, _ := strings.Cut(name, ".")
	if p, ok := op.Param(top); ok && p.In == specs.InBody {
		return string(specs.InBody)
	}
	return string(specs.InQuery)
}
