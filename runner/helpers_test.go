package runner

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

var (
	modelOnce sync.Once
	model     *specs.Model
	modelErr  error
)

// testOperation is the operation id of the embedded specs.
func testOperation(t testing.TB, id string) *specs.Operation {
	t.Helper()
	modelOnce.Do(func() { model, modelErr = specs.Load() })
	if modelErr != nil {
		t.Fatalf("specs.Load: %v", modelErr)
	}
	op, ok := model.Operation(id)
	if !ok {
		t.Fatalf("no operation %q in the specs", id)
	}
	return op
}

var testAccounts = []Account{
	{AccessKeyID: "LTAI-first", AccessKeySecret: "first-secret-value-0123"},
	{AccessKeyID: "LTAI-second", AccessKeySecret: "second-secret-value-4567"},
}

// Requests with a secret in the query (bastionhost) and in the body
// (eds-user, per user and top level).
const (
	queryPassword = "Query*Pass 1!"
	userPassword  = "User*Pass 2!"
	topPassword   = "Top*Pass 3!"
)

func bastionhostRequest() wire.Request {
	return wire.Request{Op: "bastionhost", Params: map[string]string{
		"InstanceId": "bastionhost-cn-test", "RegionId": "cn-hangzhou", "Source": "Local",
		"UserName": "alice", "Password": queryPassword,
	}}
}

func edsRequest() wire.Request {
	return wire.Request{Op: "eds-user",
		Params: map[string]string{"Password": topPassword},
		Lists: map[string][]map[string]string{"Users": {
			{"EndUserId": "alice", "Email": "alice@example.com", "Password": userPassword},
			{"EndUserId": "bob"},
		}},
	}
}

// recorder is a loopback server that records the requests it receives and
// answers a fixed success.
type recorder struct {
	*httptest.Server
	mu   sync.Mutex
	reqs []captured
}

func newRecorder(t testing.TB) *recorder {
	rec := &recorder{}
	rec.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		buf, _ := io.ReadAll(r.Body)
		rec.mu.Lock()
		rec.reqs = append(rec.reqs, captured{req: r.Clone(r.Context()), body: buf})
		rec.mu.Unlock()
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		fmt.Fprint(w, `{"RequestId":"6E6B0C4B-0B4A-4E9E-8C5C-2C2F7A4A7A1B"}`)
	}))
	t.Cleanup(rec.Close)
	return rec
}

// last is the last request received.
func (rec *recorder) last(t testing.TB) captured {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.reqs) == 0 {
		t.Fatal("the server received no request")
	}
	return rec.reqs[len(rec.reqs)-1]
}

func (rec *recorder) count() int {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	return len(rec.reqs)
}

func newTestClient(t testing.TB, target Target) *Client {
	t.Helper()
	if target.Accounts == nil {
		target.Accounts = testAccounts
	}
	c, err := NewClient(target)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(c.Close)
	return c
}
