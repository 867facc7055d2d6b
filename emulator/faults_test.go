package emulator

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestFaultsList checks that Faults names every rule-table entry and every
// behavioural fault once, sorted, and that each has a description.
func TestFaultsList(t *testing.T) {
	faults := Faults()
	if !slices.IsSorted(faults) || len(slices.Compact(slices.Clone(faults))) != len(faults) {
		t.Errorf("Faults() is not sorted or repeats a name: %v", faults)
	}
	want := ruleFaults()
	for _, f := range behaviourFaults {
		want = append(want, f.name)
	}
	for _, name := range want {
		if !slices.Contains(faults, name) {
			t.Errorf("Faults() lacks %q", name)
		}
		if FaultDescription(name) == "" {
			t.Errorf("fault %q has no description", name)
		}
	}
	if len(faults) != len(want) {
		t.Errorf("Faults() has %d names, the tables %d", len(faults), len(want))
	}
}

// TestUnknownFault checks that an unknown fault name is an error of
// CheckFaults and Start, and a panic of New.
func TestUnknownFault(t *testing.T) {
	if err := CheckFaults([]string{FaultThrottle429, "no-such-fault"}); err == nil || !strings.Contains(err.Error(), `"no-such-fault"`) {
		t.Errorf("CheckFaults: err %v, want one naming no-such-fault", err)
	}
	if err := CheckFaults(Faults()); err != nil {
		t.Errorf("CheckFaults(Faults()): %v", err)
	}
	if srv, err := Start(Options{Faults: []string{"no-such-fault"}}); err == nil {
		srv.Close()
		t.Error("Start with an unknown fault: no error")
	}
	defer func() {
		if recover() == nil {
			t.Error("New with an unknown fault did not panic")
		}
	}()
	New(Options{Faults: []string{"no-such-fault"}})
}

// faultScenario sends a fault's requests to the emulator at url and returns
// the last answer.
type faultScenario func(t *testing.T, url string) testResponse

// sequence sends calls in order and returns the last answer.
func sequence(calls ...testCall) faultScenario {
	return func(t *testing.T, url string) testResponse {
		var last testResponse
		for _, c := range calls {
			last = send(t, url, c)
		}
		return last
	}
}

// once sends c.
func once(c testCall) faultScenario {
	return func(t *testing.T, url string) testResponse { return send(t, url, c) }
}

// burst sends bastionhostCalls Bastionhost creates as account ak, then
// one more as last.
func burst(ak, secret string, last testCall) faultScenario {
	return burstN(bastionhostCalls, ak, secret, last)
}

// burstN sends n Bastionhost creates as account ak, then one more as last.
func burstN(n int, ak, secret string, last testCall) faultScenario {
	return func(t *testing.T, url string) testResponse {
		for i := range n {
			send(t, url, testCall{Op: opBastionhost, AK: ak, Secret: secret, Query: bastionhostParams(fmt.Sprintf("burst%d", i))})
		}
		return send(t, url, last)
	}
}

// then runs a scenario, then step, then another scenario, and returns the
// last answer.
func then(first faultScenario, step func(), next faultScenario) faultScenario {
	return func(t *testing.T, url string) testResponse {
		first(t, url)
		step()
		return next(t, url)
	}
}

// edsListed observes how many users an eds-user answer lists, created or
// failed.
func edsListed(r testResponse) string {
	result, _ := r.Body["CreateResult"].(map[string]any)
	created, _ := result["CreatedUsers"].([]any)
	failed, _ := result["FailedUsers"].([]any)
	return fmt.Sprint(len(created) + len(failed))
}

// coveredElsewhere are the behavioural faults whose change of answer has
// its own test, with its name.
var coveredElsewhere = map[string]string{
	FaultHangOnQ:      "TestHangOnQ",
	FaultTrickledBody: "TestTrickledBody",
}

// statusCode observes the status and the Code.
func statusCode(r testResponse) string { return fmt.Sprintf("%d %s", r.Status, r.str("Code")) }

// TestFaultChangesAnswer runs one scenario per fault on a clean emulator and
// on one with the fault, and checks what each answers. Every behavioural
// fault has a row.
func TestFaultChangesAnswer(t *testing.T) {
	const ak2, secret2 = "LTAIsecondAccount", "second-secret"
	bhOver := testCall{Op: opBastionhost, Query: bastionhostParams("over")}
	bhOther := testCall{Op: opBastionhost, Query: with(bastionhostParams("over"), "InstanceId", DefaultBastionhostInstance2)}
	var clockMu sync.Mutex
	var clock time.Time
	now := func() time.Time { clockMu.Lock(); defer clockMu.Unlock(); return clock }
	advance := func() { clockMu.Lock(); defer clockMu.Unlock(); clock = clock.Add(2 * bastionhostPer) }
	ramCall := func(kv ...string) testCall { return testCall{Op: opRAM, Query: with(ramUserParams("u1"), kv...)} }
	tests := []struct {
		fault, reason string
		scenario      faultScenario
		observe       func(testResponse) string
		clean, faulty string
	}{
		{FaultRAMDuplicateAllowed, "a second create of one RAM name is accepted",
			sequence(ramCall(), ramCall()), statusCode, "409 EntityAlreadyExists.User", "200 "},
		{FaultRAMQuotaIgnored, "a third RAM user passes the quota of 2",
			sequence(ramCall(), ramCall("UserName", "u2"), ramCall("UserName", "u3")), statusCode, "409 LimitExceeded.User", "200 "},
		{FaultEDSDuplicateCreated, "a taken EndUserId is created, not failed",
			sequence(testCall{Op: opEDS, Form: edsForm("taken")}, testCall{Op: opEDS, Form: edsForm("taken")}),
			func(r testResponse) string { return r.Raw[strings.Index(r.Raw, `"CreatedUsers"`):] },
			`"CreatedUsers":[],"FailedUsers":[{"EndUserId":"taken","Email":"taken@example.com","ErrorCode":"ExistedEndUserId","ErrorMessage":"The username taken is used by another user."}]}}` + "\n",
			`"CreatedUsers":[{"EndUserId":"taken","Email":"taken@example.com"}],"FailedUsers":[]}}` + "\n"},
		{FaultBastionhostDuplicateAllowed, "a second create of one Bastionhost name in an instance is accepted",
			sequence(bhOver, bhOver), statusCode, "400 UserAlreadyExists", "200 "},
		{FaultBastionhostNoThrottle, "an 11th call in a second is not throttled",
			burst(DefaultAccessKeyID, DefaultAccessKeySecret, bhOver), statusCode, "400 Throttling.User", "200 "},
		{FaultThrottle429, "the 11th call is throttled with HTTP 429",
			burst(DefaultAccessKeyID, DefaultAccessKeySecret, bhOver), statusCode, "400 Throttling.User", "429 Throttling.User"},
		{FaultThrottleShared, "one account's burst throttles another",
			burst(DefaultAccessKeyID, DefaultAccessKeySecret, testCall{Op: opBastionhost, AK: ak2, Secret: secret2, Query: bastionhostParams("other")}),
			statusCode, "200 ", "400 Throttling.User"},
		{FaultLowercaseRequestID, "the RequestId is lower-case",
			once(ramCall()), func(r testResponse) string { return fmt.Sprint(requestIDForm.MatchString(r.str("RequestId"))) }, "true", "false"},
		{FaultUserIDNumber, "User.UserId is a JSON number",
			once(ramCall()), func(r testResponse) string { return fmt.Sprintf("%T", r.Body["User"].(map[string]any)["UserId"]) }, "string", "float64"},
		{FaultWrongContentType, "the Content-Type is not JSON's",
			once(ramCall()), func(r testResponse) string { return r.Header.Get("Content-Type") }, jsonContentType, "text/plain;charset=utf-8"},
		{FaultFormatXMLIgnored, "Format=XML is answered in JSON",
			once(ramCall("Format", "XML")), func(r testResponse) string { return r.Header.Get("Content-Type") }, xmlContentType, jsonContentType},
		{FaultSignatureUnchecked, "a request signed with a wrong secret is accepted",
			once(testCall{Op: opRAM, AK: DefaultAccessKeyID, Secret: "wrong", Query: ramUserParams("u1")}), statusCode, "400 SignatureDoesNotMatch", "200 "},
		{FaultTimestampUnchecked, "a request signed an hour ago is accepted",
			once(testCall{Op: opRAM, Date: time.Now().Add(-time.Hour), Query: ramUserParams("u1")}), statusCode, "400 InvalidTimeStamp.Expired", "200 "},
		{FaultNonceUnchecked, "a reused nonce is accepted",
			sequence(testCall{Op: opRAM, Nonce: "n1", Query: ramUserParams("u1")}, testCall{Op: opRAM, Nonce: "n1", Query: ramUserParams("u2")}),
			statusCode, "400 SignatureNonceUsed", "200 "},
		{FaultErrorNoRequestID, "an error envelope has no RequestId",
			once(ramCall("UserName", "\x00")), func(r testResponse) string { _, ok := r.Body["RequestId"]; return fmt.Sprint(ok) }, "true", "false"},
		{FaultServerErrorOnLongComment, "a valid Comments of 100 characters gets a 500",
			once(ramCall("Comments", strings.Repeat("c", 100))), statusCode, "200 ", "500 InternalError"},

		{FaultCaseInsensitivePatterns, "an upper-case EndUserId passes eds-user's lower-case class",
			once(testCall{Op: opEDS, Form: edsForm("Upper_1")}), statusCode, "400 INTERNAL_ERROR", "200 "},
		{FaultCaseInsensitivePatterns, "a Bastionhost password without upper case passes",
			once(testCall{Op: opBastionhost, Query: with(bastionhostParams("u1"), "Password", "passw0rd!x")}), statusCode, "400 InvalidParameter", "200 "},
		{FaultEDSVanishedUser, "a batch of two new users lists one",
			once(testCall{Op: opEDS, Form: edsForm("first", "second")}), edsListed, "2", "1"},
		{FaultBastionhostUniquePerAccount, "one name in a second instance of the account is refused",
			sequence(bhOver, bhOther), statusCode, "200 ", "400 UserAlreadyExists"},
		{FaultThrottleHalfRate, "a 6th call in a second is throttled",
			burstN(bastionhostCalls/2, DefaultAccessKeyID, DefaultAccessKeySecret, bhOver), statusCode, "200 ", "400 Throttling.User"},
		{FaultThrottleSticky, "a call two seconds after a throttled one is throttled again",
			then(burst(DefaultAccessKeyID, DefaultAccessKeySecret, bhOver), advance, once(bhOther)), statusCode, "200 ", "400 Throttling.User"},

		{"ram.UserName.max-length", "a RAM table rule is skipped",
			once(ramCall("UserName", strings.Repeat("a", 65))), statusCode, "400 InvalidParameter.UserName.Length", "200 "},
		{"eds-user.Users[].EndUserId.min-length", "a per-user eds-user rule is skipped",
			once(testCall{Op: opEDS, Form: edsForm("ab")}), statusCode, "400 INTERNAL_ERROR", "200 "},
		{"eds-user.Password.min-length", "a top-level eds-user rule is skipped",
			once(testCall{Op: opEDS, Form: with(edsForm("abc"), "Password", "Ab1!")}), statusCode, "400 INTERNAL_ERROR", "200 "},
		{"bastionhost.Password.complexity", "a Bastionhost rule is skipped",
			once(testCall{Op: opBastionhost, Query: with(bastionhostParams("u1"), "Password", "password")}), statusCode, "400 InvalidParameter", "200 "},
	}
	covered := map[string]bool{}
	for _, tt := range tests {
		covered[tt.fault] = true
		if tt.clean == tt.faulty {
			t.Errorf("%s: the row expects the same answer with and without the fault", tt.fault)
		}
		for _, faults := range [][]string{nil, {tt.fault}} {
			clockMu.Lock()
			clock = time.Now()
			clockMu.Unlock()
			srv := newTestServer(t, Options{
				Accounts:     map[string]string{DefaultAccessKeyID: DefaultAccessKeySecret, ak2: secret2},
				RAMUserQuota: 2, Now: now, Faults: faults,
			})
			got, want := tt.observe(tt.scenario(t, srv.URL)), tt.clean
			if faults != nil {
				want = tt.faulty
			}
			if got != want {
				t.Errorf("%s (%s), faults %v: observed %q, want %q", tt.fault, tt.reason, faults, got, want)
			}
		}
	}
	for _, f := range behaviourFaults {
		if _, ok := coveredElsewhere[f.name]; !covered[f.name] && !ok {
			t.Errorf("behavioural fault %s has no row", f.name)
		}
	}
}

// TestThrottleSharedIsSafe bursts two accounts at once under
// FaultThrottleShared: exactly bastionhostCalls calls pass in the frozen
// second, whichever account sent them.
func TestThrottleSharedIsSafe(t *testing.T) {
	now := time.Now()
	srv := newTestServer(t, Options{
		Accounts: map[string]string{"AK1": "s1", "AK2": "s2"},
		Now:      func() time.Time { return now }, Faults: []string{FaultThrottleShared},
	})
	var wg sync.WaitGroup
	var mu sync.Mutex
	passed := 0
	for i := range 2 * bastionhostCalls {
		ak := []string{"AK1", "AK2"}[i%2]
		wg.Go(func() {
			got := send(t, srv.URL, testCall{Op: opBastionhost, AK: ak, Secret: "s" + ak[2:], Query: bastionhostParams(fmt.Sprintf("c%d", i))})
			if got.Status == http.StatusOK {
				mu.Lock()
				passed++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	if passed != bastionhostCalls {
		t.Errorf("%d calls passed in one frozen second over two accounts, want %d", passed, bastionhostCalls)
	}
}
