package emulator

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
)

// BenchmarkLoopbackParallel measures sustained throughput of concurrent
// valid creates over keep-alive loopback HTTP (unsigned, NoAuth), one
// sub-benchmark per operation; it reports requests per second.
func BenchmarkLoopbackParallel(b *testing.B) {
	ops := []struct {
		name string
		url  func(n int64) string
	}{
		{"ram", func(n int64) string {
			return "/?Action=CreateUser&Version=2015-05-01&UserName=u" + strconv.FormatInt(n, 10)
		}},
		{"eds-user", func(n int64) string {
			return "/?Action=CreateUsers&Version=2021-03-08&Users.1.EndUserId=usr" + strconv.FormatInt(n, 10)
		}},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			srv := httptest.NewServer(New(Options{NoAuth: true, RAMUserQuota: 1 << 30, EDSUserQuota: 1 << 30}))
			defer srv.Close()
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4 * runtime.GOMAXPROCS(0)}}
			defer client.CloseIdleConnections()
			var next atomic.Int64
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					postOK(b, client, srv.URL+op.url(next.Add(1)))
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// postOK sends an empty POST and fails the benchmark unless it gets 200.
func postOK(b *testing.B, client *http.Client, url string) {
	resp, err := client.Post(url, "", nil)
	if err != nil {
		b.Error(err)
		return
	}
	got := readResponse(b, resp)
	resp.Body.Close()
	if got.Status != http.StatusOK {
		b.Errorf("got %d %s", got.Status, got.Raw)
	}
}

// BenchmarkRetainedMemory creates eds-user batches of 10 new users in
// memory and reports the heap retained after a GC: bytes per stored user,
// the whole heap, and what an account full at DefaultEDSUserQuota would
// hold (a peak-RSS-style figure, without reading the RSS).
func BenchmarkRetainedMemory(b *testing.B) {
	const perBatch = 10
	em := New(Options{NoAuth: true, EDSUserQuota: 1 << 30})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	batch := 0
	for b.Loop() {
		batch++
		form := make([]string, perBatch)
		for i := range form {
			form[i] = fmt.Sprintf("Users.%d.EndUserId=u%d_%d", i+1, batch, i)
		}
		hr := httptest.NewRequest(http.MethodPost, "/?Action=CreateUsers&Version=2021-03-08&"+strings.Join(form, "&"), nil)
		rec := httptest.NewRecorder()
		em.ServeHTTP(rec, hr)
		if rec.Code != http.StatusOK {
			b.Fatalf("got %d %s", rec.Code, rec.Body)
		}
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	retained := float64(after.HeapAlloc) - float64(before.HeapAlloc)
	perUser := retained / float64(batch*perBatch)
	b.ReportMetric(perUser, "retained-B/user")
	b.ReportMetric(float64(after.HeapAlloc)/(1<<20), "heap-MiB")
	b.ReportMetric(perUser*DefaultEDSUserQuota/(1<<20), "MiB/full-account")
	runtime.KeepAlive(em)
}

// BenchmarkHandleCreate is the emulator handling one valid create
// in-process (no network, NoAuth), one sub-benchmark per operation: a new
// name each time, so every call creates.
func BenchmarkHandleCreate(b *testing.B) {
	ops := []struct {
		name string
		url  func(n int) string
	}{
		{"ram", func(n int) string {
			return "/?Action=CreateUser&Version=2015-05-01&UserName=u" + strconv.Itoa(n)
		}},
		{"eds-user", func(n int) string {
			return "/?Action=CreateUsers&Version=2021-03-08&Users.1.EndUserId=usr" + strconv.Itoa(n)
		}},
		{"bastionhost", func(n int) string {
			return "/?Action=CreateUser&Version=2019-12-09&InstanceId=" + DefaultBastionhostInstance + "&Source=Local&UserName=u" + strconv.Itoa(n) + "&Password=Aa1%21aaaaaaa"
		}},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			em := New(Options{NoAuth: true, RAMUserQuota: 1 << 30, EDSUserQuota: 1 << 30, BastionhostUserQuota: 1 << 30, Faults: []string{FaultBastionhostNoThrottle}})
			b.ReportAllocs()
			n := 0
			for b.Loop() {
				n++
				rec := httptest.NewRecorder()
				em.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, op.url(n), nil))
				if rec.Code != http.StatusOK {
					b.Fatalf("got %d %s", rec.Code, rec.Body)
				}
			}
		})
	}
}
