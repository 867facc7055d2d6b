package emulator

import (
	"encoding/xml"
	"net/http"
	"strings"
	"testing"
)

// forcedCall is a valid request of op whose user name is name: UserName,
// or the first EndUserId of an eds-user batch.
func forcedCall(op, name string) (testCall, string) {
	switch op {
	case opRAM:
		return testCall{Op: op, Query: ramUserParams(name)}, "UserName"
	case opEDS:
		return testCall{Op: op, Form: edsForm(name, "other")}, "Users.1.EndUserId"
	}
	return testCall{Op: op, Query: bastionhostParams(name)}, "UserName"
}

// xmlError is the XML error envelope.
type xmlError struct {
	XMLName   xml.Name `xml:"Error"`
	RequestID string   `xml:"RequestId"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
}

// observed reads the Code and RequestId of an answer in either format; a
// forced ExistedEndUserId is read from the first failed user.
func observed(t *testing.T, r testResponse, asXML bool) (code, requestID string) {
	t.Helper()
	if !asXML {
		if result, ok := r.Body["CreateResult"].(map[string]any); ok {
			failed, _ := result["FailedUsers"].([]any)
			first, _ := failed[0].(map[string]any)
			code, _ = first["ErrorCode"].(string)
			return code, r.str("RequestId")
		}
		return r.str("Code"), r.str("RequestId")
	}
	if strings.Contains(r.Raw, "<FailedUsers>") {
		var body struct {
			RequestID string `xml:"RequestId"`
			Code      string `xml:"CreateResult>FailedUsers>ErrorCode"`
		}
		if err := xml.Unmarshal([]byte(r.Raw), &body); err != nil {
			t.Fatalf("XML answer: %v: %s", err, r.Raw)
		}
		return body.Code, body.RequestID
	}
	var e xmlError
	if err := xml.Unmarshal([]byte(r.Raw), &e); err != nil {
		t.Fatalf("XML error: %v: %s", err, r.Raw)
	}
	return e.Code, e.RequestID
}

// TestForcedAnswers reaches every documented answer of every operation
// through a forced answer over HTTP, in JSON and XML: the documented
// status and Code, and a RequestId of the documented form that the
// x-acs-request-id header repeats. Each answer is matched on the user name
// of an otherwise valid request.
func TestForcedAnswers(t *testing.T) {
	for _, op := range Operations() {
		var answers []ForcedAnswer
		for _, d := range DocumentedErrors(op) {
			_, param := forcedCall(op, "")
			answers = append(answers, ForcedAnswer{Operation: op, Code: d.Code, Param: param, Value: strings.ToLower(strings.ReplaceAll(d.Code, ".", "_"))})
		}
		srv := newTestServer(t, Options{Answers: answers, Now: steppingClock(0)})
		for i, d := range DocumentedErrors(op) {
			for _, format := range []string{"JSON", "XML"} {
				c, _ := forcedCall(op, answers[i].Value)
				c.Query = with(c.Query, "Format", format)
				r := send(t, srv.URL, c)
				code, id := observed(t, r, format == "XML")
				if r.Status != d.Status || code != d.Code || !requestIDForm.MatchString(id) || r.Header.Get("x-acs-request-id") != id {
					t.Errorf("%s %s in %s: got %d %q RequestId %q (header %q), want %d %s: %s",
						op, d.Code, format, r.Status, code, id, r.Header.Get("x-acs-request-id"), d.Status, d.Code, r.Raw)
				}
			}
		}
	}
}

// TestDocumentedErrorsList checks the catalogue: every seed's codes are in
// it with their statuses, the gateway's too, and no operation repeats a code.
func TestDocumentedErrorsList(t *testing.T) {
	want := map[string]map[string]int{
		opRAM: {"InvalidParameter.UserName.InvalidChars": 400, "InvalidParameter.Email.Format": 400,
			"EntityAlreadyExists.User": 409, "LimitExceeded.User": 409, "MissingUserName": 400},
		opEDS: {"INTERNAL_ERROR": 400, ExistedEndUserID: 200, "MissingUsers": 400},
		opBastionhost: {"InvalidParameter": 400, "UserAlreadyExists": 400, "InternalError": 500,
			"MissingInstanceId": 400, "MissingSource": 400},
	}
	gateway := map[string]int{"IncompleteSignature": 400, "SignatureDoesNotMatch": 400, "InvalidAccessKeyId.NotFound": 404,
		"InvalidTimeStamp.Expired": 400, "SignatureNonceUsed": 400, "InvalidAction.NotFound": 404, "Throttling": 400,
		"Throttling.User": 400, "Throttling.Api": 400, "ServiceUnavailable": 503, "MissingParameter": 400}
	for op, codes := range want {
		got := map[string]int{}
		for _, d := range DocumentedErrors(op) {
			if _, dup := got[d.Code]; dup || d.Message == "" {
				t.Errorf("%s: %s repeated or without a message", op, d.Code)
			}
			got[d.Code] = d.Status
		}
		for code, status := range codes {
			if got[code] != status {
				t.Errorf("%s %s: status %d, want %d", op, code, got[code], status)
			}
		}
		for code, status := range gateway {
			if got[code] != status {
				t.Errorf("%s gateway %s: status %d, want %d", op, code, got[code], status)
			}
		}
	}
	if DocumentedErrors("sts") != nil {
		t.Error("DocumentedErrors of an unknown operation is not nil")
	}
}

// TestForcedAnswerNth forces the second matching request only: the first
// and third are served as usual.
func TestForcedAnswerNth(t *testing.T) {
	srv := newTestServer(t, Options{Answers: []ForcedAnswer{{Operation: opBastionhost, Code: "Throttling.User", Nth: 2}}})
	var got []string
	for _, name := range []string{"n1", "n2", "n3"} {
		got = append(got, statusCode(send(t, srv.URL, testCall{Op: opBastionhost, Query: bastionhostParams(name)})))
	}
	if strings.Join(got, ",") != "200 ,400 Throttling.User,200 " {
		t.Errorf("three calls with the second forced: %q", got)
	}
	if r := send(t, srv.URL, testCall{Op: opRAM, Query: ramUserParams("n1")}); r.Status != http.StatusOK {
		t.Errorf("another operation was forced: %d %s", r.Status, r.Raw)
	}
}

// TestForcedAnswerInvalid refuses an unknown operation or code, and a
// negative Nth, in CheckAnswers, Start and New.
func TestForcedAnswerInvalid(t *testing.T) {
	for _, a := range []ForcedAnswer{
		{Operation: "sts", Code: "InternalError"},
		{Operation: opRAM, Code: "UserAlreadyExists"},
		{Operation: opEDS, Code: "INTERNAL_ERROR", Nth: -1},
	} {
		if err := CheckAnswers([]ForcedAnswer{a}); err == nil {
			t.Errorf("CheckAnswers(%+v): no error", a)
		}
		if srv, err := Start(Options{Answers: []ForcedAnswer{a}}); err == nil {
			srv.Close()
			t.Errorf("Start with %+v: no error", a)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("New with an invalid forced answer did not panic")
		}
	}()
	New(Options{Answers: []ForcedAnswer{{Operation: opRAM, Code: "NoSuchCode"}}})
}
