package emulator

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// Response media types.
const (
	jsonContentType = "application/json;charset=utf-8"
	xmlContentType  = "text/xml;charset=utf-8"
)

// errorBody is the error envelope, in JSON and (root <Error>) in XML.
type errorBody struct {
	XMLName   xml.Name `json:"-" xml:"Error"`
	RequestID string   `json:"RequestId,omitempty" xml:"RequestId,omitempty"`
	HostID    string   `json:"HostId" xml:"HostId"`
	Code      string   `json:"Code" xml:"Code"`
	Message   string   `json:"Message" xml:"Message"`
	Recommend string   `json:"Recommend" xml:"Recommend"`
}

// responder writes the answers to one request: it knows the RequestId, the
// host and the format asked for.
type responder struct {
	w         http.ResponseWriter
	requestID string
	hostID    string
	product   string
	xml       bool
	faults    faultSet
	// ctx is the request's context and stall the emulator's waits, for
	// FaultTrickledBody.
	ctx   context.Context
	stall *stall
}

// requestID returns a fresh RequestId: an upper-case UUID, lower-case
// under FaultLowercaseRequestID.
func (e *Emulator) requestID() string {
	if e.faults.has(FaultLowercaseRequestID) {
		return strings.ToLower(newRequestID())
	}
	return newRequestID()
}

// newRequestID returns a fresh upper-case UUID (version 4), 8-4-4-4-12.
func newRequestID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%X-%X-%X-%X-%X", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// wantsXML reports whether the Format parameter asks for XML (any case).
func wantsXML(format string) bool { return strings.EqualFold(format, "XML") }

// setFormat answers in the format the Format parameter asks for; JSON
// always under FaultFormatXMLIgnored.
func (rs *responder) setFormat(format string) {
	rs.xml = wantsXML(format) && !rs.faults.has(FaultFormatXMLIgnored)
}

// success writes a 200 answer; body's XMLName names the XML root.
func (rs *responder) success(body any) { rs.write(http.StatusOK, body) }

// fail writes an error answer in the envelope.
func (rs *responder) fail(e *apiError) {
	requestID := rs.requestID
	if rs.faults.has(FaultErrorNoRequestID) {
		requestID = ""
	}
	rs.write(e.Status, &errorBody{
		RequestID: requestID,
		HostID:    rs.host(),
		Code:      e.Code,
		Message:   e.Message,
		Recommend: recommend(e.Code, rs.product),
	})
}

// host is the HostId: the Host the request was sent to, else the
// product's public endpoint.
func (rs *responder) host() string {
	switch {
	case rs.hostID != "":
		return rs.hostID
	case rs.product != "":
		return rs.product + ".aliyuncs.com"
	}
	return "aliyuncs.com"
}

// recommend is the troubleshooting link the gateway puts in Recommend.
func recommend(code, product string) string {
	link := "https://api.aliyun.com/troubleshoot?q=" + code
	if product != "" {
		link += "&product=" + product
	}
	return link
}

// write encodes body in the format asked for and sends it with status.
func (rs *responder) write(status int, body any) {
	data, contentType := rs.encode(body)
	if rs.faults.has(FaultWrongContentType) {
		contentType = "text/plain;charset=utf-8"
	}
	h := rs.w.Header()
	h.Set("Content-Type", contentType)
	h.Set("x-acs-request-id", rs.requestID)
	if rs.faults.has(FaultTrickledBody) {
		h.Set("Content-Length", strconv.Itoa(len(data)))
		rs.w.WriteHeader(status)
		rs.stall.trickle(rs.ctx, rs.w, data)
		return
	}
	rs.w.WriteHeader(status)
	_, _ = rs.w.Write(data) // a client gone away is not the emulator's concern
}

// encode renders body as XML or JSON. The bodies are plain structs of
// strings, so encoding cannot fail.
func (rs *responder) encode(body any) ([]byte, string) {
	var buf bytes.Buffer
	if rs.xml {
		buf.WriteString(xml.Header)
		_ = xml.NewEncoder(&buf).Encode(body)
		return buf.Bytes(), xmlContentType
	}
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(body)
	return buf.Bytes(), jsonContentType
}
