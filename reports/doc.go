// Package reports writes a run's result for people and machines: JUnit XML
// for CI (valid against the strict Ant schema), a documented JSON shape for
// tools, console text with a summary table, and one self-contained HTML
// page with the rule-by-rule matrix.
//
// Every writer is a pure function of a [results.Result]: timestamps and
// durations come from the Result, the hostname from the options, and
// nothing is added that the Result does not hold, so the same Result always
// gives the same bytes. Findings arrive redacted; the writers never expand
// or interpret a value (a value is never a template: the HTML page's
// html/template only escapes values; no environment), and they escape what
// XML 1.0 or a terminal cannot carry: control characters other than tab and
// newline, and bytes that are not UTF-8, are written as Go escapes ("\x01").
package reports
