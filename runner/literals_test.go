package runner

import (
	"encoding/xml"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"gotest.tools/v3/assert"
	"pgregory.net/rapid"

	"github.com/acsconform/acsconform/wire"
)

// referenceReplace is literalSet.Replace as it was before the one-pass
// search: every text through a replacer built for it, the masks kept
// whole.
func referenceReplace(set literalSet, s string) string {
	if len(set.forms) == 0 || s == "" {
		return s
	}
	return replaceOutsideMarks(maskingReplacer(set.forms), s)
}

// Replace masks exactly what the plain replacer masks, for few secrets
// (searched one by one) and many (searched by first byte), with secrets
// that contain each other, need escaping, or touch the masks.
func TestLiteralSetReplaceMatchesReplacer(t *testing.T) {
	t.Parallel()
	alphabet := rapid.SampledFrom([]rune(`ab<>&"'+/= %\r` + "é中"))
	word := rapid.StringOfN(alphabet, 1, 6, -1)
	rapid.Check(t, func(t *rapid.T) {
		secrets := rapid.SliceOfN(word, 0, 20).Draw(t, "secrets")
		pieces := rapid.SliceOfN(rapid.OneOf(word, rapid.SampledFrom(append([]string{Redacted, SignaturePlaceholder}, secrets...))), 0, 12).Draw(t, "text")
		text := strings.Join(pieces, "")
		set := newLiterals(secrets)
		assert.Equal(t, set.Replace(text), referenceReplace(set, text))
	})
}

// With many secrets none shorter than minGramForm bytes (a gramIndex,
// which looks at one position in several), Replace still masks exactly
// what the plain replacer masks: secrets at every offset, overlapping,
// cut short, inside one another.
func TestLiteralSetManyLongSecretsMatchReplacer(t *testing.T) {
	t.Parallel()
	alphabet := rapid.SampledFrom([]rune(`ab0<&"%` + "é"))
	long := rapid.StringOfN(alphabet, minGramForm, 30, -1)
	rapid.Check(t, func(t *rapid.T) {
		secrets := rapid.SliceOfN(long, fewForms+1, 24).Draw(t, "secrets")
		set := newLiterals(secrets)
		if len(set.forms) <= fewForms || len(set.forms[len(set.forms)-1]) < minGramForm {
			t.Skip("not a gramIndex")
		}
		assert.Assert(t, set.grams != nil)
		piece := rapid.OneOf(rapid.StringOfN(alphabet, 0, 8, -1), rapid.SampledFrom(set.forms),
			rapid.Custom(func(t *rapid.T) string { // a form cut short
				f := rapid.SampledFrom(set.forms).Draw(t, "form")
				return f[:rapid.IntRange(0, len(f)-1).Draw(t, "cut")]
			}))
		text := strings.Join(rapid.SliceOfN(piece, 0, 12).Draw(t, "text"), "")
		assert.Equal(t, set.Replace(text), referenceReplace(set, text))
	})
}

func TestLiteralSetManySecrets(t *testing.T) {
	t.Parallel()
	var secrets []string
	for i := 0; i < 64; i++ {
		secrets = append(secrets, fmt.Sprintf("%024x", i*7919))
	}
	set := newLiterals(secrets)
	assert.Assert(t, set.grams != nil)
	body := strings.Repeat("a", 1000) + secrets[40] + "&x=" + Redacted
	assert.Equal(t, set.Replace(body), strings.Repeat("a", 1000)+Redacted+"&x="+Redacted)
	assert.Equal(t, set.Replace(strings.Repeat("0", 30)), Redacted+"000000")
	assert.Equal(t, set.Replace("no secret here"), "no secret here")
}

func TestQuotesSignature(t *testing.T) {
	t.Parallel()
	for text, want := range map[string]bool{
		"a=1&Signature=abc":                  true,
		`{"Signature":"abc"}`:                true,
		`"{\"Signature\":\"abc\"}"`:          true,
		"<Signature>abc</Signature>":         true,
		"SignatureNonce=1&SignatureMethod=x": false,
		"Signature":                          false,
		"a>Signature>":                       false,
		"a=1&Signature=<redacted>&b=2":       false,
		"Signature=,x":                       false,
		"<Signature><redacted></Signature>":  false,
		"<Signature>x</Signature>":           true,
		"":                                   false,
	} {
		assert.Equal(t, quotesSignature(text), want, text)
	}
	// It never hides a text the regular expression matches.
	part := rapid.SampledFrom([]string{"Signature", "=", `"`, `\`, ":", " ", "<", ">", "x", "Sig", "/",
		Redacted, "\t", ",", "&", "'", "é", "\n"})
	rapid.Check(t, func(t *rapid.T) {
		text := strings.Join(rapid.SliceOfN(part, 0, 10).Draw(t, "parts"), "")
		if signatureText.MatchString(text) {
			assert.Assert(t, quotesSignature(text), text)
		}
	})
}

// A value of unreserved characters only is written the same in every form
// literalForms knows, so it is its only form.
func TestLiteralFormsOfUnreservedValues(t *testing.T) {
	t.Parallel()
	unreserved := rapid.StringMatching(`[A-Za-z0-9._~-]{1,40}`)
	rapid.Check(t, func(t *rapid.T) {
		v := unreserved.Draw(t, "v")
		var x strings.Builder
		xml.EscapeText(&x, []byte(v))
		for _, form := range []string{wire.PercentEncode(v), url.QueryEscape(v), jsonText(v, false), jsonText(v, true), x.String()} {
			assert.Equal(t, form, v)
		}
		assert.DeepEqual(t, literalForms(v), []string{v})
	})
}

// A value JSON and XML write as it is (a V1 signature, base64) has the
// forms escapedForms computes in full, without the repeats.
func TestLiteralFormsOfEscapeFreeValues(t *testing.T) {
	t.Parallel()
	printable := rapid.StringMatching(`[ -~]{1,40}`)
	rapid.Check(t, func(t *rapid.T) {
		v := printable.Draw(t, "v")
		if !escapeFree(v) {
			t.Skip("escaped in JSON or XML")
		}
		var want []string
		for _, form := range escapedForms(v) {
			if !slices.Contains(want, form) {
				want = append(want, form)
			}
		}
		assert.DeepEqual(t, slices.Compact(literalForms(v)), want)
	})
}
