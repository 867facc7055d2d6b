package suites

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"gotest.tools/v3/assert"

	"github.com/acsconform/acsconform/results"
	"github.com/acsconform/acsconform/specs"
)

// rewrite changes one answer of the emulator: the request, the status and
// body it gave, and the header to send; it returns the status and body to send.
type rewrite func(r *http.Request, h http.Header, status int, body []byte) (int, []byte)

// breaking wraps a handler so that answers to operation op are rewritten.
func breaking(op *specs.Operation, fix rewrite) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rec := httptest.NewRecorder()
			next.ServeHTTP(rec, r)
			status, body := rec.Code, rec.Body.Bytes()
			if versionOf(r) == op.Version {
				status, body = fix(r, rec.Header(), status, body)
			}
			for k, v := range rec.Header() {
				w.Header()[k] = v
			}
			w.WriteHeader(status)
			w.Write(body)
		})
	}
}

// versionOf is the API version a request names (V3 header or V1 query).
func versionOf(r *http.Request) string {
	if v := r.Header.Get("x-acs-version"); v != "" {
		return v
	}
	return r.URL.Query().Get("Version")
}

// brokenRow is a target that breaks one documented behaviour, and the
// check and rule that must catch it.
type brokenRow struct {
	reason string
	op     string
	check  string
	rule   string
	fix    func(t *testing.T, op *specs.Operation) rewrite
}

var (
	userIDString  = regexp.MustCompile(`"UserId":"([0-9]+)"`)
	anyRequestID  = regexp.MustCompile(`"RequestId":"([^"]*)"`)
	hostIDField   = regexp.MustCompile(`"HostId":"[^"]*",?`)
	throttledBody = regexp.MustCompile(`"Code":"Throttling`)
)

// brokenRows are the deliberately broken targets.
func brokenRows() []brokenRow {
	return []brokenRow{
		{"a target that accepts user names over the documented maximum fails negative-rejection", "ram", "negative-rejection", "ram.UserName.max-length",
			func(t *testing.T, op *specs.Operation) rewrite {
				p, _ := op.Param("UserName")
				return func(r *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
					if utf8.RuneCountInString(r.URL.Query().Get("UserName")) > *p.MaxLength && status == 400 {
						return 200, []byte(ramOK(`"1227489245380721"`))
					}
					return status, body
				}
			}},
		{"a target that returns UserId as a number fails response-schema", "ram", "response-schema", "",
			func(*testing.T, *specs.Operation) rewrite {
				return func(_ *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
					return status, userIDString.ReplaceAll(body, []byte(`"UserId":$1`))
				}
			}},
		{"a target that throttles with HTTP 429 fails rate-limit-enforced", "bastionhost", "rate-limit-enforced", "bastionhost.rate-limit",
			func(*testing.T, *specs.Operation) rewrite {
				return func(_ *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
					if throttledBody.Match(body) {
						return http.StatusTooManyRequests, body
					}
					return status, body
				}
			}},
		{"a target that forgets duplicates fails duplicate-rejected", "ram", "duplicate-rejected", "ram.UserName.unique",
			func(t *testing.T, op *specs.Operation) rewrite {
				code := rule(t, op, "ram.UserName.unique").Broken[0].Code
				return func(_ *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
					if bytes.Contains(body, []byte(code)) {
						return 200, []byte(ramOK(`"1227489245380721"`))
					}
					return status, body
				}
			}},
		{"a target with lower-case RequestIds fails request-id", "eds-user", requestIDCheck, "",
			func(*testing.T, *specs.Operation) rewrite {
				return func(_ *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
					return status, anyRequestID.ReplaceAllFunc(body, bytes.ToLower)
				}
			}},
		{"a target whose errors lack HostId fails error-envelope", "bastionhost", "error-envelope", "",
			func(*testing.T, *specs.Operation) rewrite {
				return func(_ *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
					return status, hostIDField.ReplaceAll(body, nil)
				}
			}},
		{"a target answering XML requests as JSON fails content-type", "ram", "content-type", "",
			func(*testing.T, *specs.Operation) rewrite {
				return func(_ *http.Request, h http.Header, status int, body []byte) (int, []byte) {
					h.Set("Content-Type", "application/json;charset=utf-8")
					return status, body
				}
			}},
		{"a target that fails with 500 on form-encoded requests fails no-server-error", "eds-user", "no-server-error", "",
			func(*testing.T, *specs.Operation) rewrite {
				return func(r *http.Request, _ http.Header, status int, body []byte) (int, []byte) {
					if strings.Contains(r.Header.Get("Content-Type"), "form") {
						return 500, []byte(errorBody("InternalError"))
					}
					return status, body
				}
			}},
	}
}

func TestBrokenTargetsFail(t *testing.T) {
	for _, row := range brokenRows() {
		t.Run(row.reason, func(t *testing.T) {
			op := operation(t, row.op)
			target := emulatorTarget(t, breaking(op, row.fix(t, op)))
			res := execute(t, target, Options{Ops: []string{row.op}, Checks: regexp.MustCompile("^" + row.check + "$"), Examples: 5})
			c := res.Operations[0].Checks[0]
			assert.Equal(t, c.Check, row.check)
			assert.Equal(t, c.Status, results.Failed, "%+v", c)
			f := c.Findings[0]
			if row.rule != "" {
				assert.Equal(t, f.Rule, row.rule, "%+v", f)
				assert.Assert(t, f.Quote != "")
			}
			assert.Assert(t, strings.Contains(f.Command, "--checks '^"+row.check+"$'") && strings.Contains(f.Command, "--seed 1"), f.Command)
			assert.Assert(t, strings.HasPrefix(f.Curl, "curl "), f.Curl)
			assert.Assert(t, f.Expected != "" && f.Actual != "" && f.Response != "", "%+v", f)
		})
	}
}
