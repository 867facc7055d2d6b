package emulator

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

// countingWriter is an in-memory ResponseWriter that counts the Write calls
// of the body.
type countingWriter struct {
	*httptest.ResponseRecorder
	writes int
}

// Write counts and records.
func (w *countingWriter) Write(b []byte) (int, error) {
	w.writes++
	return w.ResponseRecorder.Write(b)
}

// TestTrickledBody checks that FaultTrickledBody writes the body one byte a
// time (pauses shortened to nothing), and the clean emulator at once.
func TestTrickledBody(t *testing.T) {
	for _, faults := range [][]string{nil, {FaultTrickledBody}} {
		em := New(Options{NoAuth: true, Faults: faults})
		em.stall.every = 0
		w := &countingWriter{ResponseRecorder: httptest.NewRecorder()}
		em.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/?Action=CreateUser&Version=2015-05-01&UserName=u1", nil))
		want := 1
		if faults != nil {
			want = w.Body.Len()
		}
		if w.Code != http.StatusOK || w.writes != want {
			t.Errorf("faults %v: %d in %d writes of %d bytes, want 200 in %d", faults, w.Code, w.writes, w.Body.Len(), want)
		}
	}
}

// TestTrickleEnds checks that a trickle with hour-long pauses ends when the
// client leaves, and that Server.Close ends another by sending the rest.
func TestTrickleEnds(t *testing.T) {
	em := New(Options{NoAuth: true, Faults: []string{FaultTrickledBody}})
	em.stall.every = time.Hour
	returned := make(chan struct{}, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		em.ServeHTTP(w, r)
		returned <- struct{}{}
	}))
	defer srv.Close()
	ctx, cancel := context.WithCancel(context.Background())
	body := firstByte(t, ctx, srv.URL+"/?Action=CreateUser&Version=2015-05-01&UserName=u1")
	cancel()
	body.Close()
	<-returned // the handler ends once the client has left

	s, err := start(Options{NoAuth: true, Faults: []string{FaultTrickledBody}}, func(e *Emulator) { e.stall.every = time.Hour })
	if err != nil {
		t.Fatal(err)
	}
	body = firstByte(t, context.Background(), s.URL()+"/?Action=CreateUser&Version=2015-05-01&UserName=u2")
	defer body.Close()
	closed := make(chan error, 1)
	go func() { closed <- s.Close() }()
	rest, err := io.ReadAll(body)
	if err != nil || len(rest) == 0 || rest[len(rest)-1] != '\n' {
		t.Errorf("after Close: read %q, %v; want the rest of the body", rest, err)
	}
	if err := <-closed; err != nil {
		t.Errorf("Close: %v", err)
	}
}

// firstByte sends a GET and reads the first byte of the body, returning
// the rest.
func firstByte(t *testing.T, ctx context.Context, url string) io.ReadCloser {
	t.Helper()
	hr, _ := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	resp, err := http.DefaultClient.Do(hr)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := bufio.NewReaderSize(resp.Body, 16).ReadByte(); err != nil {
		t.Fatal(err)
	}
	return resp.Body
}

// TestHangOnQ checks that under FaultHangOnQ a user name with a q holds the
// request (here an hour, cut short by the client leaving), and that the
// clean emulator answers it.
func TestHangOnQ(t *testing.T) {
	for _, faults := range [][]string{nil, {FaultHangOnQ}} {
		em := New(Options{Faults: faults})
		waiting := make(chan struct{})
		em.stall.hangFor, em.stall.onWait = time.Hour, func() { close(waiting) }
		srv := httptest.NewServer(em)
		ctx, cancel := context.WithCancel(context.Background())
		got := make(chan string, 1)
		hr := testCall{Op: opEDS, Form: edsForm("quinn")}.build(t, srv.URL)
		go func() {
			resp, err := http.DefaultClient.Do(hr.WithContext(ctx))
			if err != nil {
				got <- "no answer"
				return
			}
			resp.Body.Close()
			got <- resp.Status
		}()
		var answer string
		select {
		case <-waiting:
			cancel()
			answer = <-got
		case answer = <-got:
		}
		cancel()
		srv.Close() // returns once the handler has: the hang ended
		want := "200 OK"
		if faults != nil {
			want = "no answer"
		}
		if answer != want {
			t.Errorf("faults %v: %q, want %q", faults, answer, want)
		}
	}
}

// TestHangEndsOnClose checks that Server.Close ends an hour-long hang: the
// client gets its answer and Close returns.
func TestHangEndsOnClose(t *testing.T) {
	waiting := make(chan struct{})
	s, err := start(Options{Faults: []string{FaultHangOnQ}}, func(e *Emulator) {
		e.stall.hangFor, e.stall.onWait = time.Hour, func() { close(waiting) }
	})
	if err != nil {
		t.Fatal(err)
	}
	hr := testCall{Op: opRAM, Query: ramUserParams("quiet")}.build(t, s.URL())
	got := make(chan string, 1)
	go func() {
		resp, err := http.DefaultClient.Do(hr)
		if err != nil {
			got <- err.Error()
			return
		}
		resp.Body.Close()
		got <- resp.Status
	}()
	<-waiting
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if status := <-got; status != "200 OK" {
		t.Errorf("the held request got %q, want 200 OK", status)
	}
}
