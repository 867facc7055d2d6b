package suites

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"mime"
	"strings"
	"sync"

	"github.com/acsconform/acsconform/runner"
)

// Response formats a request may ask for (wire.Request.Format).
const (
	formatJSON = "JSON"
	formatXML  = "XML"
)

// formatOf is the format a request asked for: "JSON" unless it said XML.
func formatOf(requested string) string {
	if strings.EqualFold(requested, formatXML) {
		return formatXML
	}
	return formatJSON
}

// document is a response body decoded into generic values: JSON as
// encoding/json decodes it (objects, arrays, float64, string, bool), XML as
// nested maps whose leaves are strings (a repeated element becomes a slice).
type document struct {
	// Root is the XML root element name, "" for JSON.
	Root string
	// Value is the decoded body; for XML the root's content.
	Value any
}

// field returns the value at key of an object document, and whether it is there.
func (d document) field(key string) (any, bool) {
	m, ok := d.Value.(map[string]any)
	if !ok {
		return nil, false
	}
	v, ok := m[key]
	return v, ok
}

// text returns the string at key, "" when absent or not a string.
func (d document) text(key string) string {
	v, _ := d.field(key)
	s, _ := v.(string)
	return s
}

// decodeBody decodes an exchange's response body in the requested format.
// Every check judging an exchange decodes its body, so the latest
// documents are kept (decoded): callers must not change a document.
func decodeBody(ex *runner.Exchange, format string) (document, error) {
	if len(bytes.TrimSpace(ex.RespBody)) == 0 {
		return document{}, errors.New("empty body")
	}
	return recentDocs.decode(ex.RespBody, format)
}

// decodeFresh is decodeBody without the kept documents.
func decodeFresh(body []byte, format string) (document, error) {
	if format == formatXML {
		return decodeXML(body)
	}
	var v any
	if json.Unmarshal(body, &v) == nil { // one document and nothing after it
		return document{Value: v}, nil
	}
	v = nil // the decoder says what is wrong, in its words
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&v); err != nil {
		return document{}, fmt.Errorf("not JSON: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return document{}, errors.New("not JSON: trailing data after the document")
	}
	return document{Value: v}, nil
}

// maxKeptBody is the largest body whose document decodeBody keeps.
const maxKeptBody = 64 << 10

// keptDocs is how many decoded bodies decodeBody keeps.
const keptDocs = 64

// docKey identifies a decoded body: its bytes (response bodies are never
// changed once read, and a kept key holds its array, so no other body can
// take its place) and the format it was decoded as.
type docKey struct {
	data   *byte
	n      int
	format string
}

// docCache keeps the latest decoded bodies.
type docCache struct {
	mu    sync.Mutex
	docs  map[docKey]decoded
	order [keptDocs]docKey // ring of the kept keys, oldest at next
	next  int
}

// decoded is one kept decoding.
type decoded struct {
	doc document
	err error
}

// recentDocs are decodeBody's kept documents.
var recentDocs = &docCache{docs: map[docKey]decoded{}}

// decode returns the document of body, decoding it once while it is kept.
func (c *docCache) decode(body []byte, format string) (document, error) {
	if len(body) > maxKeptBody {
		return decodeFresh(body, format)
	}
	key := docKey{&body[0], len(body), format}
	c.mu.Lock()
	d, ok := c.docs[key]
	c.mu.Unlock()
	if ok {
		return d.doc, d.err
	}
	d.doc, d.err = decodeFresh(body, format)
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, again := c.docs[key]; !again {
		delete(c.docs, c.order[c.next])
		c.order[c.next] = key
		c.next = (c.next + 1) % keptDocs
		c.docs[key] = d
	}
	return d.doc, d.err
}

// xmlNode is one element while decoding.
type xmlNode struct {
	name     string
	text     strings.Builder
	children map[string]any
}

// decodeXML decodes an XML body into a document; the root element's name is kept.
func decodeXML(b []byte) (document, error) {
	dec := xml.NewDecoder(bytes.NewReader(b))
	var stack []*xmlNode
	var root document
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return document{}, fmt.Errorf("not XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 && root.Root != "" {
				return document{}, errors.New("not XML: more than one root element")
			}
			stack = append(stack, &xmlNode{name: t.Name.Local})
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text.Write(t)
			}
		case xml.EndElement:
			n := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if len(stack) == 0 {
				root = document{Root: n.name, Value: n.value()}
				continue
			}
			stack[len(stack)-1].add(n.name, n.value())
		}
	}
	if root.Root == "" {
		return document{}, errors.New("not XML: no root element")
	}
	return root, nil
}

// value is the node as a generic value: a map when it has children, else its text.
func (n *xmlNode) value() any {
	if n.children != nil {
		return n.children
	}
	return strings.TrimSpace(n.text.String())
}

// add records a child; a repeated name turns into a slice.
func (n *xmlNode) add(name string, v any) {
	if n.children == nil {
		n.children = map[string]any{}
	}
	prev, ok := n.children[name]
	if !ok {
		n.children[name] = v
		return
	}
	if list, isList := prev.([]any); isList {
		n.children[name] = append(list, v)
		return
	}
	n.children[name] = []any{prev, v}
}

// mediaType is the response's Content-Type without parameters, lower case.
// A target answers with a few Content-Types, so the first ones parsed are
// kept (mediaTypes).
func mediaType(ex *runner.Exchange) string {
	ct := ex.RespHeader.Get("Content-Type")
	mediaTypes.mu.Lock()
	mt, ok := mediaTypes.of[ct]
	mediaTypes.mu.Unlock()
	if ok {
		return mt
	}
	mt = parseMediaType(ct)
	mediaTypes.mu.Lock()
	defer mediaTypes.mu.Unlock()
	if len(mediaTypes.of) < keptMediaTypes && len(ct) <= maxKeptMediaType {
		mediaTypes.of[ct] = mt
	}
	return mt
}

// keptMediaTypes is how many Content-Types mediaType keeps parsed, and
// maxKeptMediaType the longest it keeps.
const (
	keptMediaTypes   = 32
	maxKeptMediaType = 256
)

// mediaTypes are the Content-Types mediaType parsed, by header value.
var mediaTypes = struct {
	mu sync.Mutex
	of map[string]string
}{of: map[string]string{}}

// parseMediaType is a Content-Type without parameters, lower case.
func parseMediaType(ct string) string {
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return strings.ToLower(strings.TrimSpace(ct))
	}
	return mt
}
