package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"runtime"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"github.com/acsconform/acsconform/emulator"
	"github.com/acsconform/acsconform/runner"
	"github.com/acsconform/acsconform/specs"
	"github.com/acsconform/acsconform/suites"
)

// cmdBench is the hidden 'bench' subcommand (make bench): the end-to-end
// campaign against the reference emulator on loopback — fixed seed,
// generated requests, every check, workers = cores — in exchanges per
// second, and in the same run the ceiling: the campaign's own requests,
// already encoded and signed, replayed by a minimal keep-alive client loop
// against a fresh emulator of the same configuration (no generation, no
// checks), with the ratio campaign/ceiling; before them (--load), the
// emulator under sustained concurrent valid creates: their rate and the
// process's RSS. It prints a table; it asserts nothing.
func cmdBench(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("acsconform bench", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	seed := fs.Int64("seed", 1, "`seed` of the campaign")
	examples := fs.Int("examples", 500, "generated cases per plan and operation of the ram,eds-user campaign the ceiling replays")
	workers := fs.Int("workers", runtime.NumCPU(), "case sequences in flight per operation, and the ceiling's client loops")
	all := fs.Bool("all-ops", true, "also time a campaign of all three operations (Bastionhost's traffic is paced under its documented rate limit)")
	allExamples := fs.Int("all-ops-examples", 50, "generated cases per plan and operation of the all-operations campaign")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the whole bench (campaigns and ceiling) to `FILE`")
	loadFor := fs.Duration("load", 20*time.Second, "first, `D` of valid ram and eds-user creates from 4 loops a worker against a fresh emulator: sustained rate and RSS (0 skips it)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *examples < 1 || *workers < 1 || *allExamples < 1 || *loadFor < 0 {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		fmt.Fprintln(stderr, "acsconform bench: usage: acsconform bench [--seed N] [--examples N] [--workers N] [--all-ops=false] [--all-ops-examples N] [--load D] [--cpuprofile FILE]")
		return exitUsage
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(*cpuProfile)
		if err != nil {
			fmt.Fprintf(stderr, "acsconform bench: %v\n", err)
			return exitUsage
		}
		defer stop()
	}
	b := &bench{seed: *seed, examples: *examples, workers: *workers, stderr: stderr}
	var rows []benchRow
	unpaced := []string{"ram", "eds-user"}
	var loaded *loadRow
	if *loadFor > 0 { // first, so that the peak RSS it reads is its own
		row, err := b.load(unpaced, *loadFor, 4*b.workers)
		if err != nil {
			fmt.Fprintf(stderr, "acsconform bench: %v\n", err)
			return exitUsage
		}
		loaded = &row
	}
	if untunedCollector(os.Getenv) { // the campaigns as run runs them; the emulator alone was measured as serve runs it
		keepHeapHeadroom()
	}
	campaign, reqs, err := b.campaign(unpaced, b.examples, true)
	if err != nil {
		fmt.Fprintf(stderr, "acsconform bench: %v\n", err)
		return exitUsage
	}
	rows = append(rows, campaign)
	ceiling, err := b.ceiling(reqs)
	if err != nil {
		fmt.Fprintf(stderr, "acsconform bench: %v\n", err)
		return exitUsage
	}
	rows = append(rows, ceiling)
	if *all {
		paced, _, err := b.campaign(nil, *allExamples, false)
		if err != nil {
			fmt.Fprintf(stderr, "acsconform bench: %v\n", err)
			return exitUsage
		}
		rows = append(rows, paced)
	}
	tw := tabwriter.NewWriter(stdout, 2, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(stdout, "acsconform bench: seed %d, %d workers, %d cores (GOMAXPROCS %d), %s\n\n",
		b.seed, b.workers, runtime.NumCPU(), runtime.GOMAXPROCS(0), time.Now().UTC().Format("2006-01-02"))
	fmt.Fprintln(tw, "MEASURE\tOPERATIONS\tEXAMPLES\tEXCHANGES\tSECONDS\tEXCHANGES/S\tCPU SECONDS\tCPU µs/EXCHANGE\tBEFORE 1ST REQUEST\tFIRST TO LAST REQUEST\t")
	for _, r := range rows {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%.2f\t%.0f\t%s\t%s\t%.2fs\t%.2fs\t\n", r.name, r.ops, r.examples, r.exchanges, r.elapsed.Seconds(), r.rate(),
			r.cpuSeconds(), r.cpuPerExchange(), r.before.Seconds(), r.sending.Seconds())
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nratio campaign/ceiling (%s): %.2f\n", strings.Join(unpaced, ","), campaign.rate()/ceiling.rate())
	if loaded != nil {
		fmt.Fprintf(stdout, "%s\n", loaded)
	}
	fmt.Fprintf(stdout, "peak RSS of this process (VmHWM): %s\n", statusField("VmHWM"))
	return exitOK
}

// bench is one 'acsconform bench' run.
type bench struct {
	seed     int64
	examples int
	workers  int
	stderr   io.Writer
	// accounts are the recorded campaign's, whose signatures the ceiling replays.
	accounts []runner.Account
}

// benchRow is one measured line of the table.
type benchRow struct {
	name, ops string
	examples  int
	exchanges int64
	elapsed   time.Duration
	// before is the time before the first request (generating the plans);
	// sending the time from the first request to the last.
	before, sending time.Duration
	// cpu is the process's CPU time (user and system, client and emulator
	// together) while the row was measured; cpuKnown whether it was read.
	cpu      time.Duration
	cpuKnown bool
}

// rate is exchanges per second.
func (r benchRow) rate() float64 { return float64(r.exchanges) / r.elapsed.Seconds() }

// cpuSeconds is the row's CPU time in seconds, or "-" when unknown.
func (r benchRow) cpuSeconds() string {
	if !r.cpuKnown {
		return "-"
	}
	return fmt.Sprintf("%.2f", r.cpu.Seconds())
}

// cpuPerExchange is the row's CPU time per exchange in microseconds, or
// "-" when unknown.
func (r benchRow) cpuPerExchange() string {
	if !r.cpuKnown || r.exchanges == 0 {
		return "-"
	}
	return fmt.Sprintf("%.0f", float64(r.cpu.Microseconds())/float64(r.exchanges))
}

// cpuMeter reads the process's CPU time at the start of a measure.
type cpuMeter struct {
	start time.Duration
	ok    bool
}

// startCPU starts a cpuMeter.
func startCPU() cpuMeter {
	start, ok := processCPU()
	return cpuMeter{start, ok}
}

// used is the CPU time since the meter started, and whether it is known.
func (m cpuMeter) used() (time.Duration, bool) {
	now, ok := processCPU()
	if !m.ok || !ok {
		return 0, false
	}
	return now - m.start, true
}

// capture is one request as the emulator received it, to replay.
type capture struct {
	method, uri string
	header      http.Header
	body        []byte
}

// benchServer serves a fresh emulator of the embedded configuration on
// loopback, counting (and, with record, keeping) the requests it gets.
type benchServer struct {
	url      string
	accounts []runner.Account
	declared specs.Declarations
	count    atomic.Int64
	mu       sync.Mutex
	// first and last are when the first and the latest request came.
	first, last time.Time
	reqs        []capture
	close       func()
}

// serveBench starts a benchServer with the given accounts (fresh ones when nil).
func serveBench(accounts []runner.Account, record bool) (*benchServer, error) {
	if accounts == nil {
		for i := 0; i < embeddedAccounts; i++ {
			accounts = append(accounts, runner.Account{AccessKeyID: fmt.Sprintf("LTAIbench%02d", i), AccessKeySecret: randomHex(12)})
		}
	}
	secrets := map[string]string{}
	for _, a := range accounts {
		secrets[a.AccessKeyID] = a.AccessKeySecret
	}
	em := emulator.New(emulator.Options{Accounts: secrets, RAMUserQuota: embeddedRAMUserQuota, EDSUserQuota: embeddedEDSUserQuota})
	s := &benchServer{accounts: accounts}
	s.declared.Declare(specs.RuleExists, em.BastionhostInstances()...)
	s.declared.SetLimit(specs.RuleQuota, embeddedRAMUserQuota)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		s.count.Add(1)
		now := time.Now()
		s.mu.Lock()
		if s.first.IsZero() {
			s.first = now
		}
		s.last = now
		if record {
			s.reqs = append(s.reqs, capture{r.Method, r.RequestURI, r.Header.Clone(), body})
		}
		s.mu.Unlock()
		em.ServeHTTP(w, r)
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	s.url = "http://" + ln.Addr().String()
	s.close = func() { srv.Close() }
	return s, nil
}

// campaign runs the suite (every check, no shrinking) on ops (nil: all)
// against a fresh emulator and times it, generation included.
func (b *bench) campaign(ops []string, examples int, record bool) (benchRow, []capture, error) {
	s, err := serveBench(nil, record)
	if err != nil {
		return benchRow{}, nil, err
	}
	defer s.close()
	if record {
		b.accounts = s.accounts
	}
	target := runner.Target{URL: s.url, Accounts: s.accounts, ChecksSignatures: true, Timeout: 10 * time.Second}
	name := strings.Join(ops, ",")
	if name == "" {
		name = "ram,eds-user,bastionhost"
	}
	fmt.Fprintf(b.stderr, "acsconform bench: campaign on %s...\n", name)
	cpu := startCPU()
	start := time.Now()
	res, err := suites.Execute(context.Background(), target, suites.Options{
		Seed: b.seed, Examples: examples, Workers: b.workers, Ops: ops, Declared: s.declared, TargetName: "bench emulator",
	})
	elapsed := time.Since(start)
	used, known := cpu.used()
	if err != nil {
		return benchRow{}, nil, err
	}
	if res.Stopped != "" {
		return benchRow{}, nil, errors.New("the campaign stopped early: " + res.Stopped)
	}
	row := benchRow{name: "campaign", ops: name, examples: examples, exchanges: s.count.Load(), elapsed: elapsed,
		before: s.first.Sub(start), sending: s.last.Sub(s.first), cpu: used, cpuKnown: known}
	return row, s.reqs, nil
}

// ceiling replays reqs, prepared before the clock starts, against a fresh
// emulator with the same accounts, from b.workers keep-alive loops.
func (b *bench) ceiling(reqs []capture) (benchRow, error) {
	if len(reqs) == 0 {
		return benchRow{}, errors.New("the campaign sent nothing to replay")
	}
	// The same accounts: the captured requests are signed with their secrets.
	s, err := serveBench(b.accounts, false)
	if err != nil {
		return benchRow{}, err
	}
	defer s.close()
	prepared := make([]*http.Request, len(reqs))
	for i, c := range reqs {
		r, err := http.NewRequest(c.method, s.url+c.uri, bytes.NewReader(c.body))
		if err != nil {
			return benchRow{}, err
		}
		r.Header = c.header
		prepared[i] = r
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: b.workers, MaxConnsPerHost: b.workers}}
	defer client.CloseIdleConnections()
	fmt.Fprintf(b.stderr, "acsconform bench: ceiling, %d requests replayed...\n", len(prepared))
	var next atomic.Int64
	var failed atomic.Int64
	var wg sync.WaitGroup
	cpu := startCPU()
	start := time.Now()
	for w := 0; w < b.workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(prepared) {
					return
				}
				resp, err := client.Do(prepared[i])
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	used, known := cpu.used()
	if n := failed.Load(); n > 0 {
		return benchRow{}, fmt.Errorf("%d replayed requests got no answer", n)
	}
	return benchRow{name: "ceiling", ops: "same requests", examples: b.examples, exchanges: s.count.Load(), elapsed: elapsed, sending: s.last.Sub(s.first), cpu: used, cpuKnown: known}, nil
}

// startCPUProfile starts a CPU profile written to path; stop ends it and
// closes the file.
func startCPUProfile(path string) (stop func(), err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

// statusField is a field of /proc/self/status ("VmHWM", "VmRSS"), or why not.
func statusField(field string) string {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown (" + err.Error() + ")"
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, field+":"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
