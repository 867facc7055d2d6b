package specs

import (
	"fmt"
	"regexp"
	"sort"

	"github.com/getkin/kin-openapi/openapi3"
)

// formatOf maps each response media type to its format.
var formatOf = map[string]string{
	"application/json": "JSON",
	"text/xml":         "XML",
	"application/xml":  "XML",
}

// buildResponse reads the 200 response (success schema, formats, XML root,
// example, RequestId pattern) and the default response (error envelope).
func (b *builder) buildResponse(o *openapi3.Operation) error {
	ok := responseAt(o, "200")
	if ok == nil {
		return b.fail("responses/200", fmt.Errorf("missing"))
	}
	resp := &Response{MediaTypes: map[string][]string{}}
	if err := b.mediaTypes(resp, ok.Content, "responses/200"); err != nil {
		return err
	}
	if _, err := decodeExt(ok.Extensions, "x-acs-seed-example", &resp.Example); err != nil {
		return b.fail("responses/200", err)
	}
	resp.Schema = ok.Content.Get("application/json").Schema
	if resp.Schema == nil || resp.Schema.Value == nil {
		return b.fail("responses/200", fmt.Errorf("no application/json schema"))
	}
	if err := b.requestID(resp); err != nil {
		return err
	}
	if len(resp.MediaTypes["XML"]) > 0 {
		if x := resp.Schema.Value.XML; x != nil && x.Name != "" {
			resp.XMLRoot = x.Name
		} else {
			return b.fail("responses/200", fmt.Errorf("an XML form needs the schema's xml.name (the root element)"))
		}
	}
	bad := responseAt(o, "default")
	if bad == nil || bad.Content.Get("application/json") == nil || bad.Content.Get("application/json").Schema == nil {
		return b.fail("responses/default", fmt.Errorf("the error envelope (application/json) is missing"))
	}
	resp.ErrorSchema = bad.Content.Get("application/json").Schema
	b.op.Response = resp
	return nil
}

// responseAt returns the response for status, nil when absent.
func responseAt(o *openapi3.Operation, status string) *openapi3.Response {
	if o.Responses == nil || o.Responses.Value(status) == nil {
		return nil
	}
	return o.Responses.Value(status).Value
}

// mediaTypes fills resp.Formats and resp.MediaTypes from content.
func (b *builder) mediaTypes(resp *Response, content openapi3.Content, place string) error {
	names := make([]string, 0, len(content))
	for mt := range content {
		names = append(names, mt)
	}
	sort.Strings(names)
	for _, mt := range names {
		f, ok := formatOf[mt]
		if !ok {
			return b.fail(place, fmt.Errorf("media type %q is not application/json, text/xml or application/xml", mt))
		}
		resp.MediaTypes[f] = append(resp.MediaTypes[f], mt)
	}
	for _, f := range []string{"JSON", "XML"} {
		if len(resp.MediaTypes[f]) > 0 {
			resp.Formats = append(resp.Formats, f)
		}
	}
	return nil
}

// requestID compiles the pattern of the success schema's RequestId.
func (b *builder) requestID(resp *Response) error {
	ref := resp.Schema.Value.Properties["RequestId"]
	if ref == nil || ref.Value == nil || ref.Value.Pattern == "" {
		return b.fail("responses/200", fmt.Errorf("the success schema needs a RequestId with a pattern"))
	}
	re, err := regexp.Compile(ref.Value.Pattern)
	if err != nil {
		return b.fail("responses/200/RequestId", err)
	}
	resp.RequestID = re
	return nil
}
