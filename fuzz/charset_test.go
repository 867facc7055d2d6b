package fuzz

import (
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"gotest.tools/v3/assert"
	"pgregory.net/rapid"
)

func TestMatchLengths(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		pattern     string
		least, most int
	}{
		{`^86-1[3-9][0-9]{9}$`, 14, 14},
		{`^20[0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])$`, 10, 10},
		{`^[a-z0-9]{1,20}([._][a-z0-9]{1,10}){0,2}@[a-z0-9]{1,20}(\.[a-z0-9]{1,10}){0,2}\.[a-z]{2,6}$`, 6, 92},
		{`^[a-z]+$`, 1, -1},
		{`a*b?`, 0, -1},
		{`(ab|c)?d{2,}`, 2, -1},
		{`(ab|cde)`, 2, 3},
		{`中文`, 2, 2},
		{`^$`, 0, 0},
		{`(\b)*x`, 1, 1},
	} {
		least, most, ok := matchLengths(regexp.MustCompile(c.pattern))
		assert.Assert(t, ok)
		assert.Equal(t, least, c.least, c.pattern)
		assert.Equal(t, most, c.most, c.pattern)
	}
}

// A generator that no draw can satisfy is given up at once, and one that
// can is drawn as before.
func TestExampleGivesUpOnHopelessGenerators(t *testing.T) {
	t.Parallel()
	re := regexp.MustCompile(`^86-1[3-9][0-9]{9}$`)
	long := matching(re, 4096, 4096)
	assert.Assert(t, drawsNever(long))
	_, ok := example(long, 1)
	assert.Assert(t, !ok)
	assert.Assert(t, drawsNever(impossible(nil, 3, 2)))
	fits := matching(re, 1, 20)
	assert.Assert(t, !drawsNever(fits))
	v, ok := example(fits, 1)
	assert.Assert(t, ok)
	assert.Equal(t, v, fits.Example(1))
	assert.Assert(t, !drawsNever(rapid.Just("x")))
}

// On strings of its class's runes, matchesOfClass agrees with the
// pattern, anchored or not.
func TestMatchesOfClassAgreesWithThePattern(t *testing.T) {
	t.Parallel()
	patterns := []string{`^[a-z0-9_]+$`, `[0-9]{3,5}`, `^[A-Za-z]{2,4}$`, `^[a-z]*$`, `(?m)^[a-z]{1,3}$`, `^[a-z]{2,}`, `x`, `^\d{6}$`}
	for _, m := range model(t).Operations {
		for p := range allParams(m) {
			if re := sure(p); re != nil {
				patterns = append(patterns, re.String())
			}
		}
	}
	for _, pattern := range patterns {
		re := regexp.MustCompile(pattern)
		cs, _, _, ok := simpleClass(re)
		if !ok {
			continue
		}
		rapid.Check(t, func(t *rapid.T) {
			s := drawString(t, cs.rune(), rapid.IntRange(0, 12).Draw(t, "n"))
			assert.Equal(t, matchesOfClass(re, s), re.MatchString(s), "%s on %q", pattern, s)
		})
	}
}

// TestRunesDrawAndShrinkAsACustomGenerator: a runeGen draws the runes, and
// shrinks to the failing strings, of the rapid.Custom around the same
// index draw that it stands for (the bits and groups rapid records).
func TestRunesDrawAndShrinkAsACustomGenerator(t *testing.T) {
	g := charset{{'a', 'z'}, {'0', '9'}, {'一', '龥'}}.rune()
	index := rapid.IntRange(0, len(g.cs)*g.width-1)
	custom := rapid.Custom(func(t *rapid.T) rune { return g.at(index.Draw(t, "rune")) })
	stringOf := func(draw func(*rapid.T) rune) *rapid.Generator[string] {
		return rapid.Custom(func(t *rapid.T) string {
			rs := make([]rune, rapid.IntRange(0, 24).Draw(t, "n"))
			for i := range rs {
				rs[i] = draw(t)
			}
			return string(rs)
		})
	}
	runes := stringOf(func(t *rapid.T) rune { return g.Draw(t, "char") })
	customs := stringOf(func(t *rapid.T) rune { return custom.Draw(t, "char") })
	for seed := range 200 {
		assert.Equal(t, runes.Example(seed), customs.Example(seed), "seed %d", seed)
	}
	for _, failing := range []func(string) bool{
		func(s string) bool { return strings.ContainsAny(s, "xyz7") && utf8.RuneCountInString(s) > 5 },
		func(s string) bool { return strings.ContainsRune(s, '龥') || strings.Count(s, "q") > 1 },
	} {
		var calls [2]int // the shrinker's path: the values it tried
		a, foundA := Shrink(runes, func(s string) bool { calls[0]++; return failing(s) }, ShrinkOptions{Seed: 3, Checks: 300})
		b, foundB := Shrink(customs, func(s string) bool { calls[1]++; return failing(s) }, ShrinkOptions{Seed: 3, Checks: 300})
		assert.Assert(t, foundA && foundB)
		assert.Equal(t, a, b)
		assert.Equal(t, calls[0], calls[1])
	}
}
