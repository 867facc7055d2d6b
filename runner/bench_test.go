package runner

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/wire"
)

// benchServer answers a small success over keep-alive loopback.
func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		io.WriteString(w, `{"RequestId":"6E6B0C4B-0B4A-4E9E-8C5C-2C2F7A4A7A1B"}`)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkSend is one V3-signed eds-user request (form body, redaction
// included) to a loopback server, one at a time.
func BenchmarkSend(b *testing.B) {
	c := newTestClient(b, Target{URL: benchServer(b).URL})
	op, req := testOperation(b, "eds-user"), edsRequest()
	b.ReportAllocs()
	for b.Loop() {
		if ex := c.Send(context.Background(), op, req, SendOptions{}); ex.Status != 200 {
			b.Fatalf("status %d: %s", ex.Status, ex.Err)
		}
	}
}

// BenchmarkSendParallel is BenchmarkSend from GOMAXPROCS goroutines.
func BenchmarkSendParallel(b *testing.B) {
	c := newTestClient(b, Target{URL: benchServer(b).URL})
	op, req := testOperation(b, "eds-user"), edsRequest()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if ex := c.Send(context.Background(), op, req, SendOptions{}); ex.Status != 200 {
				b.Errorf("status %d: %s", ex.Status, ex.Err)
				return
			}
		}
	})
}

func benchRequest(b *testing.B) (*http.Request, []byte) {
	c := newTestClient(b, Target{URL: "http://127.0.0.1:1"})
	req, body, _, err := c.build(testOperation(b, "eds-user"), edsRequest(), wire.SignV3, 0)
	if err != nil {
		b.Fatal(err)
	}
	return req, []byte(body)
}

func BenchmarkSignV3(b *testing.B) {
	req, body := benchRequest(b)
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		SignRequestV3(req, body, testAccounts[0], date, "0123456789abcdef")
	}
}

func BenchmarkSignV1(b *testing.B) {
	req, body := benchRequest(b)
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.ReportAllocs()
	for b.Loop() {
		SignRequestV1(req, body, testAccounts[0], date, "0123456789abcdef")
	}
}

// BenchmarkRawPost is the baseline for BenchmarkSend: the same server and
// transport, a prebuilt request, no encoding, signing or redaction.
func BenchmarkRawPost(b *testing.B) {
	srv := benchServer(b)
	c := newTestClient(b, Target{URL: srv.URL})
	req, body, _, err := c.build(testOperation(b, "eds-user"), edsRequest(), wire.SignV3, 0)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		r := req.Clone(context.Background())
		r.Body = io.NopCloser(strings.NewReader(body))
		resp, err := c.http.Do(r)
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}
}

// BenchmarkEncodeSign is a request encoded (wire.Encode, the business
// parameters where the spec puts them) and signed, V3 and V1: what the
// client does before sending.
func BenchmarkEncodeSign(b *testing.B) {
	c := newTestClient(b, Target{URL: "http://127.0.0.1:1"})
	op, r := testOperation(b, "eds-user"), edsRequest()
	date := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
		b.Run(string(sig), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				req, body, acct, err := c.build(op, r, sig, 0)
				if err != nil {
					b.Fatal(err)
				}
				if sig == wire.SignV3 {
					SignRequestV3(req, []byte(body), acct, date, "0123456789abcdef")
				} else {
					SignRequestV1(req, []byte(body), acct, date, "0123456789abcdef")
				}
			}
		})
	}
}
