package emulator

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
)

// TestStartClose starts a server on a free loopback port, serves a signed
// request through it, and closes it twice.
func TestStartClose(t *testing.T) {
	srv, err := Start(Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(srv.URL(), "http://127.0.0.1:") {
		t.Fatalf("URL %q is not on loopback", srv.URL())
	}
	if got := send(t, srv.URL(), testCall{Op: opRAM, Query: ramUserParams("served")}); got.Status != http.StatusOK {
		t.Fatalf("got %d %s", got.Status, got.Raw)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := srv.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	if _, err := http.Get(srv.URL()); err == nil {
		t.Fatal("the server still answers after Close")
	}
}

// TestStartBadAddr reports an address it cannot listen on.
func TestStartBadAddr(t *testing.T) {
	if _, err := Start(Options{Addr: "127.0.0.1:notaport"}); err == nil {
		t.Fatal("Start on a bad address: want an error")
	}
}

// BenchmarkInMemory measures the handler alone: unsigned RAM creates of
// fresh names (NoAuth), no network.
func BenchmarkInMemory(b *testing.B) {
	em := New(Options{NoAuth: true, RAMUserQuota: 1 << 30})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		hr := httptest.NewRequest(http.MethodPost, "/?Action=CreateUser&Version=2015-05-01&UserName=u"+strconv.Itoa(i), nil)
		rec := httptest.NewRecorder()
		em.ServeHTTP(rec, hr)
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d %s", rec.Code, rec.Body)
		}
	}
}

// BenchmarkLoopbackV3 measures V3-signed RAM creates over keep-alive
// loopback HTTP, signing included.
func BenchmarkLoopbackV3(b *testing.B) {
	srv := httptest.NewServer(New(Options{RAMUserQuota: 1 << 30}))
	defer srv.Close()
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		i++
		hr := testCall{Op: opRAM, Query: map[string]string{"UserName": "u" + strconv.Itoa(i)}}.build(b, srv.URL)
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			b.Fatal(err)
		}
		got := readResponse(b, resp)
		resp.Body.Close()
		if got.Status != http.StatusOK {
			b.Fatalf("got %d %s", got.Status, got.Raw)
		}
	}
}
