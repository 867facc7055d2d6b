package runner

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
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

// batchRequest is an eds-user request of 1,000 users, the size of the
// campaign's largest batches (about 100 KB of form body).
func batchRequest() wire.Request {
	users := make([]map[string]string, 1000)
	for i := range users {
		users[i] = map[string]string{"EndUserId": fmt.Sprintf("user-%04d", i), "Email": fmt.Sprintf("u%d@example.com", i),
			"Phone": "1380000" + fmt.Sprintf("%04d", i), "Password": "Pass*word 1!", "OwnerType": "CreateFromManager"}
	}
	return wire.Request{Op: "eds-user", Params: map[string]string{"Password": topPassword}, Lists: map[string][]map[string]string{"Users": users}}
}

// manyAccounts are 64 accounts with random-looking hex secrets of 24
// digits, as the bench campaign's embedded emulator has: redaction
// searches their secrets in one pass.
func manyAccounts() []Account {
	accts := make([]Account, 64)
	for i := range accts {
		sum := sha256.Sum256([]byte{byte(i)})
		accts[i] = Account{AccessKeyID: fmt.Sprintf("LTAIbench%02d", i), AccessKeySecret: hex.EncodeToString(sum[:12])}
	}
	return accts
}

// BenchmarkSendBatch is BenchmarkSend with a 1,000-user batch and 64
// accounts, V3 and V1: the per-byte work of encoding, signing and
// redaction.
func BenchmarkSendBatch(b *testing.B) {
	c := newTestClient(b, Target{URL: benchServer(b).URL, Accounts: manyAccounts()})
	op, req := testOperation(b, "eds-user"), batchRequest()
	for _, sig := range []wire.Signature{wire.SignV3, wire.SignV1} {
		b.Run(string(sig), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if ex := c.Send(context.Background(), op, req, SendOptions{Signature: sig}); ex.Status != 200 {
					b.Fatalf("status %d: %s", ex.Status, ex.Err)
				}
			}
		})
	}
}
