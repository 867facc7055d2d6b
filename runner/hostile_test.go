package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/acsconform/acsconform/wire"
)

// hostileTimeout keeps the hostile cases short; nothing asserts on time.
const hostileTimeout = 300 * time.Millisecond

// blockingBody never yields a byte until ctx ends.
type blockingBody struct{ ctx context.Context }

func (b blockingBody) Read([]byte) (int, error) { <-b.ctx.Done(); return 0, b.ctx.Err() }
func (b blockingBody) Close() error             { return nil }

// failingBody yields prefix, then err.
type failingBody struct {
	r   io.Reader
	err error
}

func (b *failingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err == io.EOF {
		return n, b.err
	}
	return n, err
}
func (b *failingBody) Close() error { return nil }

// endless is an infinite body of 'a'.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}
func (endless) Close() error { return nil }

func respond(status int, body io.ReadCloser) httpmock.Responder {
	return func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: status, Header: http.Header{}, Body: body, Request: r}, nil
	}
}

// TestSendScriptedFailures scripts the transport with httpmock.
func TestSendScriptedFailures(t *testing.T) {
	const errorEnvelope = `{"RequestId":"X","Code":"ServiceUnavailable","Message":"m"}`
	tests := []struct {
		reason     string
		responder  httpmock.Responder
		wantStatus int
		wantErr    string // prefix; "" means no error
		wantBody   int    // length of RespBody
	}{
		{"a 5xx is an answer, not a failure", httpmock.NewStringResponder(503, errorEnvelope), 503, "", len(errorEnvelope)},
		{"a transport error", httpmock.NewErrorResponder(errors.New("connection reset by peer")), 0, "transport: ", 0},
		{"a target that never answers", func(r *http.Request) (*http.Response, error) {
			<-r.Context().Done()
			return nil, r.Context().Err()
		}, 0, "timeout: ", 0},
		{"a body that stops short", func(r *http.Request) (*http.Response, error) {
			return respond(200, &failingBody{strings.NewReader(`{"Req`), io.ErrUnexpectedEOF})(r)
		}, 200, "reading the response body: ", len(`{"Req`)},
		{"a body that never comes", func(r *http.Request) (*http.Response, error) {
			return respond(200, blockingBody{r.Context()})(r)
		}, 200, "reading the response body: timeout", 0},
		{"a body over the bound is truncated", httpmock.NewStringResponder(200, strings.Repeat("a", 3*MaxResponseBody)), 200, "response body longer than", MaxResponseBody},
		{"an endless body is cut off", respond(200, endless{}), 200, "response body longer than", MaxResponseBody},
	}
	op := testOperation(t, "ram")
	for _, tt := range tests {
		mock := httpmock.NewMockTransport()
		mock.RegisterNoResponder(tt.responder)
		c := newTestClient(t, Target{URL: "http://127.0.0.1:1", Client: &http.Client{Transport: mock}, Timeout: hostileTimeout})
		ex := c.Send(context.Background(), op, wire.Request{Params: map[string]string{"UserName": "alice"}}, SendOptions{})
		checkFailure(t, tt.reason, ex, tt.wantStatus, tt.wantErr, tt.wantBody)
	}
}

func checkFailure(t *testing.T, reason string, ex Exchange, status int, errPrefix string, bodyLen int) {
	t.Helper()
	if ex.Status != status {
		t.Errorf("%s: status %d, want %d (Err %q)", reason, ex.Status, status, ex.Err)
	}
	if (errPrefix == "") != (ex.Err == "") || !strings.HasPrefix(ex.Err, errPrefix) {
		t.Errorf("%s: Err %q, want it to start with %q", reason, ex.Err, errPrefix)
	}
	if len(ex.RespBody) != bodyLen {
		t.Errorf("%s: kept %d bytes of body, want %d", reason, len(ex.RespBody), bodyLen)
	}
}

// TestSendHostileServers uses real loopback sockets for what a scripted
// transport cannot do: trickling, lying about lengths, huge headers.
func TestSendHostileServers(t *testing.T) {
	tests := []struct {
		reason     string
		handler    http.HandlerFunc
		wantStatus int
		wantErr    string
	}{
		{"a trickling body is cut off at the timeout", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(200)
			for {
				if _, err := w.Write([]byte("a")); err != nil {
					return
				}
				w.(http.Flusher).Flush()
				select {
				case <-r.Context().Done():
					return
				case <-time.After(20 * time.Millisecond):
				}
			}
		}, 200, "reading the response body: timeout"},
		{"a Content-Length longer than the body", func(w http.ResponseWriter, r *http.Request) {
			conn, buf, err := w.(http.Hijacker).Hijack()
			if err != nil {
				return
			}
			defer conn.Close()
			fmt.Fprint(buf, "HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nContent-Type: application/json\r\n\r\n{\"short\":")
			buf.Flush()
		}, 200, "reading the response body: "},
		{"headers beyond the bound", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("X-Flood", strings.Repeat("a", 128<<10))
			w.WriteHeader(200)
		}, 0, "transport: "},
		{"a redirect is an answer, not followed", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/elsewhere", http.StatusFound)
		}, http.StatusFound, ""},
	}
	op := testOperation(t, "ram")
	for _, tt := range tests {
		srv := httptest.NewServer(tt.handler)
		c := newTestClient(t, Target{URL: srv.URL, Timeout: hostileTimeout})
		ex := c.Send(context.Background(), op, wire.Request{}, SendOptions{})
		if ex.Status != tt.wantStatus || !strings.HasPrefix(ex.Err, tt.wantErr) || (tt.wantErr == "") != (ex.Err == "") {
			t.Errorf("%s: status %d, Err %q; want %d and an Err starting %q", tt.reason, ex.Status, ex.Err, tt.wantStatus, tt.wantErr)
		}
		c.Close()
		srv.CloseClientConnections()
		srv.Close()
	}
}

func TestSendUnreachable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c := newTestClient(t, Target{URL: url, Timeout: hostileTimeout})
	ex := c.Send(context.Background(), testOperation(t, "ram"), wire.Request{}, SendOptions{})
	checkFailure(t, "a closed port", ex, 0, "transport: ", 0)
}

func TestSendCanceled(t *testing.T) {
	rec := newRecorder(t)
	c := newTestClient(t, Target{URL: rec.URL})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	ex := c.Send(ctx, testOperation(t, "ram"), wire.Request{}, SendOptions{})
	if ex.Err == "" || ex.Status != 0 {
		t.Errorf("a canceled context: status %d, Err %q; want no answer and an Err", ex.Status, ex.Err)
	}
}
