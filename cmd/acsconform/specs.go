package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/acsconform/acsconform/specs"
)

// specsOptions are the flags of 'acsconform specs'; the zero value lists
// every operation as text.
type specsOptions struct {
	op     string // operation ID; "" means all
	json   bool   // JSON instead of text
	export string // a directory to write plain OpenAPI documents into; "" means list
}

// cmdSpecs is the 'specs' subcommand: it lists the operations, parameters,
// rules and ambiguities of the embedded specs, or with --export writes them
// as plain OpenAPI documents.
func cmdSpecs(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("specs", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o specsOptions
	fs.StringVar(&o.op, "op", "", "show only this operation: ram, eds-user or bastionhost")
	fs.BoolVar(&o.json, "json", false, "print JSON instead of text")
	fs.StringVar(&o.export, "export", "", "write each operation as a plain OpenAPI 3.0 document into this directory")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stdout, "usage: acsconform specs [--op ram|eds-user|bastionhost] [--json | --export DIR]")
			return exitOK
		}
		fmt.Fprintf(stderr, "acsconform specs: %v\n", err)
		return exitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "acsconform specs: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if o.export != "" && o.json {
		fmt.Fprintln(stderr, "acsconform specs: --export and --json do not go together")
		return exitUsage
	}
	if err := runSpecs(o, stdout); err != nil {
		fmt.Fprintf(stderr, "acsconform specs: %v\n", err)
		return exitUsage
	}
	return exitOK
}

// runSpecs loads the model and prints the operations o selects.
func runSpecs(o specsOptions, w io.Writer) error {
	m, err := specs.Load()
	if err != nil {
		return err
	}
	ops := m.Operations
	if o.op != "" {
		op, ok := m.Operation(o.op)
		if !ok {
			return fmt.Errorf("unknown operation %q (want ram, eds-user or bastionhost)", o.op)
		}
		ops = []*specs.Operation{op}
	}
	if o.export != "" {
		return exportSpecs(ops, o.export, w)
	}
	views := make([]opView, 0, len(ops))
	for _, op := range ops {
		views = append(views, viewOf(op))
	}
	if o.json {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(map[string]any{"operations": views})
	}
	for _, v := range views {
		if err := v.print(w); err != nil {
			return err
		}
	}
	return nil
}

// exportSpecs writes each of ops as a plain OpenAPI 3.0 document into dir
// (created if need be) and prints the path of each file written.
func exportSpecs(ops []*specs.Operation, dir string, w io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, op := range ops {
		doc, err := specs.Export(op, specs.ExportOptions{})
		if err != nil {
			return err
		}
		path := filepath.Join(dir, specs.ExportFile(op))
		if err := os.WriteFile(path, doc, 0o644); err != nil {
			return err
		}
		fmt.Fprintln(w, path)
	}
	return nil
}

// opView is what 'specs' shows of an operation (no examples: some are
// passwords).
type opView struct {
	ID          string             `json:"id"`
	Product     string             `json:"product"`
	Action      string             `json:"action"`
	Version     string             `json:"version"`
	Seed        string             `json:"seed"`
	Params      []paramView        `json:"params"`
	Rules       []*specs.Rule      `json:"rules"`
	Errors      []*specs.ErrorDef  `json:"errors"`
	RateLimit   *specs.RateLimit   `json:"rateLimit,omitempty"`
	Ambiguities []*specs.Ambiguity `json:"ambiguities"`
}

// paramView is one parameter with its constraints as text.
type paramView struct {
	Path        string `json:"path"`
	In          string `json:"in"`
	Type        string `json:"type"`
	Constraints string `json:"constraints"`
}

// viewOf flattens op for printing.
func viewOf(op *specs.Operation) opView {
	v := opView{ID: op.ID, Product: op.Product, Action: op.Action, Version: op.Version, Seed: op.Seed,
		Rules: op.Rules, Errors: op.Errors, RateLimit: op.RateLimit, Ambiguities: op.Ambiguities}
	var walk func([]*specs.Param)
	walk = func(ps []*specs.Param) {
		for _, p := range ps {
			v.Params = append(v.Params, paramView{Path: p.Path, In: string(p.In),
				Type: strings.TrimSuffix(string(p.Kind)+"/"+p.Format, "/"), Constraints: constraints(p)})
			if p.Items != nil {
				walk([]*specs.Param{p.Items})
			}
			walk(p.Fields)
		}
	}
	walk(op.Params)
	return v
}

// constraints renders p's unconditional constraints on one line.
func constraints(p *specs.Param) string {
	var c []string
	add := func(ok bool, format string, a ...any) {
		if ok {
			c = append(c, fmt.Sprintf(format, a...))
		}
	}
	add(p.Required, "required")
	add(p.Style != specs.StylePlain, "style=%s", p.Style)
	add(p.MinLength != nil, "minLength=%d", deref(p.MinLength))
	add(p.MaxLength != nil, "maxLength=%d", deref(p.MaxLength))
	add(p.MaxItems != nil, "maxItems=%d", deref(p.MaxItems))
	add(p.Pattern != nil, "pattern=%s", p.Pattern)
	add(p.StrictPattern != nil, "strict=%s", p.StrictPattern)
	add(len(p.Enum) > 0, "enum=%s", strings.Join(p.Enum, "|"))
	add(p.EnumCaseInsensitive, "enum-case-insensitive?")
	add(p.Default != "", "default=%s", p.Default)
	add(p.Secret, "secret")
	return strings.Join(c, " ")
}

// deref returns *n, or 0 for nil.
func deref(n *int) int {
	if n == nil {
		return 0
	}
	return *n
}

// print writes v as text.
func (v opView) print(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "%s\t%s %s\t%s (%s)\n", v.ID, v.Action, v.Version, v.Product, v.Seed)
	fmt.Fprintln(tw, "  params:")
	for _, p := range v.Params {
		fmt.Fprintf(tw, "    %s\t%s %s\t%s\n", p.Path, p.In, p.Type, p.Constraints)
	}
	fmt.Fprintln(tw, "  rules:")
	for _, r := range v.Rules {
		fmt.Fprintf(tw, "    %s\t%s\t-> %s\n", r.ID, ruleDetail(r), outcomesText(r.Broken))
	}
	fmt.Fprintln(tw, "  ambiguities:")
	for _, a := range v.Ambiguities {
		fmt.Fprintf(tw, "    %s\temulator: %s\n", a.ID, a.Emulator)
	}
	fmt.Fprintln(tw)
	return tw.Flush()
}

// ruleDetail renders a rule's limit, scope and conditions.
func ruleDetail(r *specs.Rule) string {
	var d []string
	if r.Limit != 0 {
		d = append(d, fmt.Sprintf("limit=%d", r.Limit))
	}
	if r.Scope != "" {
		d = append(d, "scope="+r.Scope)
	}
	var when []string
	for _, c := range r.When {
		when = append(when, c.Param+"="+strings.Join(c.Values, "|"))
	}
	if len(when) > 0 {
		d = append(d, "when "+strings.Join(when, " & "))
	}
	if r.Ambiguity != "" {
		d = append(d, "ambiguous")
	}
	return strings.Join(d, " ")
}

// outcomesText renders the allowed outcomes of a broken rule.
func outcomesText(os []specs.Outcome) string {
	var out []string
	for _, o := range os {
		switch {
		case o.Accept:
			out = append(out, "accept")
		case o.Batch:
			out = append(out, strings.TrimSpace("batch "+o.Code))
		case o.Status == 0:
			out = append(out, strings.TrimSpace("4xx "+o.Code))
		default:
			out = append(out, fmt.Sprintf("%d %s", o.Status, o.Code))
		}
	}
	return strings.Join(out, " | ")
}
