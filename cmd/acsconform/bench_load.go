package main

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/acsconform/acsconform/fuzz"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/wire"
)

// loadTemplates is how many valid requests per operation the load row
// draws before its clock starts; each send gives one fresh names.
const loadTemplates = 64

// loadRow is the emulator-under-load measure: sustained valid creates
// from concurrent keep-alive loops, with the process's memory sampled.
type loadRow struct {
	ops              string
	loops            int
	sent, ok, failed int64
	elapsed          time.Duration
	// rss are VmRSS samples at each quarter of the run; peak is VmHWM
	// at its end.
	rss  []string
	peak string
}

// load sends valid creates of ops (fresh names, V3-signed, the accounts
// in turn) from loops keep-alive loops for d to a fresh emulator of the
// embedded configuration, in this process, before any other row: the
// peak RSS it reports is the emulator's and the lean client's. Answers
// other than 200 count as ok when they are the documented refusals of a
// full account (the quotas); failed counts transport errors and 5xx.
func (b *bench) load(ops []string, d time.Duration, loops int) (loadRow, error) {
	model, err := specs.Load()
	if err != nil {
		return loadRow{}, err
	}
	type template struct {
		op   *specs.Operation
		reqs []wire.Request
	}
	var templates []template
	for _, id := range ops {
		op, ok := model.Operation(id)
		if !ok {
			return loadRow{}, fmt.Errorf("unknown operation %q", id)
		}
		tp := template{op: op}
		gen := fuzz.Valid(op)
		for i := range loadTemplates {
			tp.reqs = append(tp.reqs, gen.Example(int(b.seed)*loadTemplates+i))
		}
		templates = append(templates, tp)
	}
	s, err := serveBench(nil, false)
	if err != nil {
		return loadRow{}, err
	}
	defer s.close()
	hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: loops, MaxConnsPerHost: loops}}
	defer hc.CloseIdleConnections()
	client, err := runner.NewClient(runner.Target{URL: s.url, Accounts: s.accounts, ChecksSignatures: true, Client: hc, Timeout: 10 * time.Second})
	if err != nil {
		return loadRow{}, err
	}
	defer client.Close()
	names := fuzz.NewNames(b.seed)
	row := loadRow{ops: strings.Join(ops, ","), loops: loops}
	fmt.Fprintf(b.stderr, "acsconform bench: emulator under load, %s of valid creates from %d loops...\n", d, loops)
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	var sent, ok, failed atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for w := range loops {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := w; ctx.Err() == nil; n += loops {
				tp := templates[n%len(templates)]
				r := names.Apply(tp.op, tp.reqs[(n/len(templates))%loadTemplates])
				ex := client.Send(context.Background(), tp.op, r, runner.SendOptions{Account: n % len(s.accounts)})
				sent.Add(1)
				switch {
				case ex.Status == 0 || ex.Status >= 500 || ex.Err != "":
					failed.Add(1)
				default:
					ok.Add(1)
				}
			}
		}()
	}
	for q := 1; q <= 4; q++ {
		select {
		case <-time.After(time.Until(start.Add(d * time.Duration(q) / 4))):
		case <-ctx.Done():
		}
		row.rss = append(row.rss, procStatus("VmRSS"))
	}
	wg.Wait()
	row.elapsed = time.Since(start)
	row.sent, row.ok, row.failed = sent.Load(), ok.Load(), failed.Load()
	row.peak = procStatus("VmHWM")
	return row, nil
}

// rate is creates per second.
func (r loadRow) rate() float64 { return float64(r.sent) / r.elapsed.Seconds() }

// String is the row's report.
func (r loadRow) String() string {
	return fmt.Sprintf("emulator under load (%s, %d loops): %d valid creates in %.1fs, %.0f/s sustained (%d answered, %d failed); "+
		"process RSS at each quarter %s; peak RSS (VmHWM) %s",
		r.ops, r.loops, r.sent, r.elapsed.Seconds(), r.rate(), r.ok, r.failed, strings.Join(r.rss, " / "), r.peak)
}

// procStatus is a field of /proc/self/status (VmRSS, VmHWM), or why not.
func procStatus(field string) string {
	v := statusField(field)
	if n, err := strconv.Atoi(strings.TrimSuffix(v, " kB")); err == nil {
		return fmt.Sprintf("%.1f MB", float64(n)/1000)
	}
	return v
}
