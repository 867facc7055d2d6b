package proxy_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/acsconform/acsconform/proxy"
)

// TestPassThroughUnchanged: the upstream gets the request's method, path,
// query, Host, headers and body as the client sent them, and the client
// gets the upstream's status, headers and body bytes.
func TestPassThroughUnchanged(t *testing.T) {
	answer := []byte("{\"odd\":  \"bytes\\u00e9\"}\n\x00")
	var got *http.Request
	var gotBody []byte
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, gotBody = r.Clone(r.Context()), mustRead(r.Body)
		w.Header().Set("Content-Type", "application/json;charset=utf-8")
		w.Header().Set("X-Odd", "kept")
		w.WriteHeader(418)
		w.Write(answer)
	}))
	defer up.Close()
	p, err := proxy.New(proxy.Options{Upstream: up.URL, NoAuth: true})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()
	body := "Users.1.EndUserId=a+b%20c&Password=x%2Ay"
	req, _ := http.NewRequest("POST", front.URL+"/?Action=CreateUsers&Version=2021-03-08&B=%7E+*", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Acs-Anything", " spaced ")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	back := mustRead(resp.Body)
	if resp.StatusCode != 418 || !bytes.Equal(back, answer) || resp.Header.Get("X-Odd") != "kept" {
		t.Errorf("the client got %d %q (X-Odd %q), want 418 %q", resp.StatusCode, back, resp.Header.Get("X-Odd"), answer)
	}
	if got.URL.RawQuery != req.URL.RawQuery || string(gotBody) != body || got.Host != req.URL.Host ||
		got.Header.Get("X-Acs-Anything") != " spaced " && got.Header.Get("X-Acs-Anything") != "spaced" || got.Header.Get("X-Forwarded-For") != "" {
		t.Errorf("the upstream got %s %q host %s headers %v body %q", got.Method, got.URL.RawQuery, got.Host, got.Header, gotBody)
	}
}

// TestHostileUpstreamAndClient: an upstream that hangs becomes a finding
// within the timeout, an upstream that floods is kept bounded, and an
// oversized request body is refused with 413 and a finding.
func TestHostileUpstreamAndClient(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	up := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Query().Get("UserName") {
		case "hang":
			select {
			case <-release:
			case <-r.Context().Done():
			}
		case "flood":
			w.Header().Set("Content-Type", "application/json")
			chunk := bytes.Repeat([]byte(" "), 4096)
			for i := 0; i < 64; i++ {
				w.Write(chunk)
			}
		}
	}))
	defer up.Close()
	var seen []proxy.Observed
	p, err := proxy.New(proxy.Options{Upstream: up.URL, NoAuth: true, Timeout: 300 * time.Millisecond, MaxBody: 1024,
		Observe: func(o proxy.Observed) { seen = append(seen, o) }})
	if err != nil {
		t.Fatal(err)
	}
	front := httptest.NewServer(p)
	defer front.Close()
	send := func(query, body string) int {
		req, _ := http.NewRequest("POST", front.URL+"/?Action=CreateUser&Version=2015-05-01&"+query, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := send("UserName=hang", ""); code != http.StatusBadGateway {
		t.Errorf("a hanging upstream: HTTP %d, want 502 from the proxy", code)
	}
	send("UserName=flood", "")
	if code := send("UserName=big", strings.Repeat("x", 2048)); code != http.StatusRequestEntityTooLarge {
		t.Errorf("an oversized body: HTTP %d, want 413", code)
	}
	checks := map[string]bool{}
	for _, op := range p.Result().Operations {
		for _, c := range op.Checks {
			for _, f := range c.Findings {
				checks[c.Check+" "+f.Rule] = true
			}
		}
	}
	for _, want := range []string{"no-server-error ", "request-wire " + proxy.RuleBodyTooLarge} {
		if !checks[want] {
			t.Errorf("no finding %q among %v", want, checks)
		}
	}
	for _, o := range seen {
		if len(o.RespBody) > 1024 {
			t.Errorf("kept %d bytes of an answer, bound 1024", len(o.RespBody))
		}
	}
}

func mustRead(r io.Reader) []byte {
	b, _ := io.ReadAll(r)
	return b
}
