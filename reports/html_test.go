package reports

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"gotest.tools/v3/golden"
	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/results"
)

func htmlBytes(t tb, r *results.Result) []byte {
	t.Helper()
	var buf bytes.Buffer
	assert.NilError(t, HTML(&buf, r))
	return buf.Bytes()
}

func TestHTMLGolden(t *testing.T) {
	golden.Assert(t, string(htmlBytes(t, richResult())), "report.golden.html")
}

func TestHTMLNilResult(t *testing.T) {
	assert.ErrorIs(t, HTML(&bytes.Buffer{}, nil), errNilResult)
}

// htmlTag finds the start of every element in a page.
var htmlTag = regexp.MustCompile(`<(/?)([A-Za-z][A-Za-z0-9-]*)`)

// pageTags are the elements the page template writes; a value never adds one.
var pageTags = map[string]bool{
	"html": true, "head": true, "meta": true, "title": true, "style": true, "body": true, "header": true,
	"h1": true, "h2": true, "h3": true, "span": true, "dl": true, "dt": true, "dd": true, "code": true,
	"section": true, "small": true, "table": true, "thead": true, "tbody": true, "tr": true, "th": true,
	"td": true, "q": true, "p": true, "details": true, "summary": true, "div": true, "pre": true,
	"svg": true, "line": true, "g": true, "rect": true, "text": true,
}

// fetches are what would make a browser fetch something or run code.
var fetches = regexp.MustCompile(`(?i)<script|<link|<img|<iframe|<object|<embed|\ssrc=|\shref=|@import|url\(|javascript:`)

func TestHTMLEscapesEveryValueAndFetchesNothing(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := genResult().Draw(t, "result")
		page := string(htmlBytes(t, r))
		for _, m := range htmlTag.FindAllStringSubmatch(page, -1) {
			assert.Assert(t, pageTags[m[2]], "a value made an element: <%s%s>", m[1], m[2])
		}
		assert.Assert(t, !fetches.MatchString(page), "the page would fetch or run something: %q", fetches.FindString(page))
		assert.Assert(t, isPrintable(page), "a control character or a byte that is not UTF-8 reached the page")
	})
}

func TestHTMLCarriesTheRunAndEveryRule(t *testing.T) {
	page := string(htmlBytes(t, richResult()))
	cases := []struct{ reason, want string }{
		{"the target on top", "<dt>target</dt><dd>http://127.0.0.1:8080</dd>"},
		{"the date from the result's clock", "<dt>date</dt><dd>2026-11-23T15:04:05Z</dd>"},
		{"the seed", "<dt>seed</dt><dd>7</dd>"},
		{"the time taken", "<dt>time</dt><dd>2.5s</dd>"},
		{"a failed rule's exchanges in its status column", `<td class="n hit failed" title="failed: exchanges that exercised the rule">12</td>`},
		{"an errored rule too", `<td class="n hit errored" title="errored: exchanges that exercised the rule">2</td>`},
		{"the seed sentence, escaped", "<q>MobilePhone：&lt;b&gt;国际区号-号码&lt;/b&gt; &amp; &#34;quoted&#34;</q>"},
		{"root causes expand", "<summary><span class=\"failed\">FAIL</span> <code>no-server-error</code> on <code>ram.UserName.length</code>: 1 finding</summary>"},
		{"a warning line per ambiguity", "<summary>eds-user.partial-code: 3 answers allowed only under one reading (eds-user/partial-batch, eds-user/positive-acceptance)</summary>"},
		{"a rate-limit timeline as inline SVG", "<title>requests per 100 ms of rate-limit-enforced</title>"},
		{"throttled requests marked", `<rect class="throttled"`},
		{"control characters escaped", `HTTP 502 body \x00\x01\x1b[31mred`},
	}
	for _, c := range cases {
		assert.Assert(t, strings.Contains(page, c.want), "%s: %q not in the page", c.reason, c.want)
	}
	for _, rule := range []string{"ram.UserName.length", "ram.Comments.length", "ram.MobilePhone.pattern", "ram.quota", "eds-user.Users.partial", "bastionhost.rate-limit"} {
		assert.Assert(t, strings.Contains(page, `<tr id="rule-`+rule+`"`), "rule %s has no row", rule)
	}
}

func TestTimelineBuckets(t *testing.T) {
	tl := buildTimeline("c", []results.TimelinePoint{
		{Offset: 0, Status: 200}, {Offset: 0, Status: 400, Throttled: true}, {Offset: 99_000_000, Status: 400, Throttled: true},
		{Offset: 100_000_000, Status: 0}, {Offset: 1_000_000_000_000, Status: 200},
	})
	assert.Equal(t, tl.Requests, 5)
	assert.Equal(t, tl.Throttled, 2)
	assert.Equal(t, tl.Silent, 1)
	assert.Equal(t, len(tl.Bars), 3, "requests in the same 100 ms share a bar; one far later lands in the last bucket")
	first := tl.Bars[0]
	assert.Equal(t, first.Other+first.Throttled+first.Silence, 3)
	assert.Equal(t, first.OtherH+first.ThrottledH, chartHeight, "the fullest bucket fills the chart")
	assert.Equal(t, tl.Bars[2].X, chartLeft+(maxBuckets-1)*(barWidth+2), "the chart is bounded")
}
