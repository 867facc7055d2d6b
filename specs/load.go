package specs

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
)

//go:embed *.yaml
var embedded embed.FS

// operationFiles are the operation documents, in the Model's order. The
// file's base name is the operation's ID.
var operationFiles = []string{"ram.yaml", "eds-user.yaml", "bastionhost.yaml"}

// commonFile holds what every operation shares: gateway errors, clock skew.
const commonFile = "common.yaml"

// nameTemplate in an error code or message stands for a parameter name.
const nameTemplate = "<Name>"

// DocError is a problem with one document: it names the file and the place
// in it (a JSON-pointer-like path or a rule ID) so the author can fix it.
type DocError struct {
	File  string // e.g. "ram.yaml"
	Place string // e.g. "parameters/UserName/x-acs-rules/max-length"
	Err   error  // what is wrong
}

// Error implements error.
func (e *DocError) Error() string {
	if e.Place == "" {
		return fmt.Sprintf("specs: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("specs: %s: %s: %v", e.File, e.Place, e.Err)
}

// Unwrap returns the underlying error.
func (e *DocError) Unwrap() error { return e.Err }

// Load reads, validates and models the embedded documents.
func Load() (*Model, error) { return LoadFS(embedded) }

// LoadFS does what Load does with the documents of fsys (common.yaml,
// ram.yaml, eds-user.yaml, bastionhost.yaml, statements.yaml). Every
// OpenAPI document is validated with kin-openapi, then every x-acs
// extension is checked for consistency, then every statement of
// statements.yaml against the model; the first problem found is returned
// as a *DocError.
func LoadFS(fsys fs.FS) (*Model, error) {
	m := &Model{}
	common, err := readDoc(fsys, commonFile)
	if err != nil {
		return nil, err
	}
	if err := loadCommon(m, common); err != nil {
		return nil, &DocError{File: commonFile, Place: "info", Err: err}
	}
	for _, name := range operationFiles {
		doc, err := readDoc(fsys, name)
		if err != nil {
			return nil, err
		}
		op, err := buildOperation(name, doc)
		if err != nil {
			return nil, err
		}
		m.Operations = append(m.Operations, op)
	}
	m.GatewayErrors = expandTemplates(m.GatewayErrors, m.Operations)
	for i, op := range m.Operations {
		if err := checkOperation(m, op); err != nil {
			return nil, &DocError{File: operationFiles[i], Err: err}
		}
	}
	if err := loadStatements(fsys, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Sources returns a copy of the embedded documents, by file name: the
// OpenAPI documents and statements.yaml.
func Sources() map[string][]byte {
	out := map[string][]byte{}
	for _, name := range append([]string{commonFile, statementsFile}, operationFiles...) {
		b, err := embedded.ReadFile(name)
		if err == nil {
			out[name] = b
		}
	}
	return out
}

// readDoc loads one document from fsys and validates it with kin-openapi.
func readDoc(fsys fs.FS, name string) (doc *openapi3.T, err error) {
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, &DocError{File: name, Err: err}
	}
	defer func() {
		// kin-openapi is third-party code fed a possibly hostile document:
		// a panic inside it becomes an error, never a crash.
		if r := recover(); r != nil {
			doc, err = nil, &DocError{File: name, Place: "parse", Err: fmt.Errorf("kin-openapi panicked: %v", r)}
		}
	}()
	loader := openapi3.NewLoader()
	loader.IncludeOrigin = true
	doc, err = loader.LoadFromData(data)
	if err != nil {
		return nil, &DocError{File: name, Place: "parse", Err: err}
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, &DocError{File: name, Place: "openapi validation", Err: err}
	}
	return doc, nil
}

// loadCommon reads the gateway errors and the timestamp skew of common.yaml.
func loadCommon(m *Model, doc *openapi3.T) error {
	var specs []errorSpec
	if ok, err := decodeExt(doc.Info.Extensions, "x-acs-gateway-errors", &specs); err != nil || !ok {
		return orMissing(err, "x-acs-gateway-errors")
	}
	for i, s := range specs {
		e, err := errorDef(s)
		if err != nil {
			return fmt.Errorf("x-acs-gateway-errors[%d]: %w", i, err)
		}
		m.GatewayErrors = append(m.GatewayErrors, e)
	}
	var skew string
	if ok, err := decodeExt(doc.Info.Extensions, "x-acs-timestamp-skew", &skew); err != nil || !ok {
		return orMissing(err, "x-acs-timestamp-skew")
	}
	d, err := time.ParseDuration(skew)
	if err != nil || d <= 0 {
		return fmt.Errorf("x-acs-timestamp-skew: %q is not a positive duration", skew)
	}
	m.TimestampSkew = d
	return nil
}

// orMissing returns err, or an error saying key is missing when err is nil.
func orMissing(err error, key string) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("%s is missing", key)
}

// errorDef checks and converts one declared error.
func errorDef(s errorSpec) (*ErrorDef, error) {
	switch {
	case s.Code == "":
		return nil, errors.New("an error has no code")
	case s.Message == "" || s.Quote == "" || s.Trigger == "":
		return nil, fmt.Errorf("error %s needs a message, a trigger and a quote", s.Code)
	case s.Batch && s.Status != 200:
		return nil, fmt.Errorf("batch error %s must have status 200", s.Code)
	case !s.Batch && (s.Status < 400 || s.Status > 599):
		return nil, fmt.Errorf("error %s: status %d is not an HTTP error status", s.Code, s.Status)
	}
	return &ErrorDef{Code: s.Code, Status: s.Status, Message: s.Message,
		Trigger: s.Trigger, Quote: s.Quote, Batch: s.Batch}, nil
}

// expandTemplates replaces each error whose Code holds <Name> with one copy
// per top-level parameter name of every operation, in model order.
func expandTemplates(defs []*ErrorDef, ops []*Operation) []*ErrorDef {
	var out []*ErrorDef
	for _, e := range defs {
		if !strings.Contains(e.Code, nameTemplate) {
			out = append(out, e)
			continue
		}
		seen := map[string]bool{}
		for _, op := range ops {
			for _, p := range op.Params {
				if seen[p.Name] {
					continue
				}
				seen[p.Name] = true
				c := *e
				c.Code = strings.ReplaceAll(e.Code, nameTemplate, p.Name)
				c.Message = strings.ReplaceAll(e.Message, nameTemplate, p.Name)
				c.Trigger = strings.ReplaceAll(e.Trigger, nameTemplate, p.Name)
				out = append(out, &c)
			}
		}
	}
	return out
}
