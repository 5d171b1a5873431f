// Package bidi puts text that mixes right-to-left and left-to-right
// writing into the order it is seen in, for renderers that lay text out
// left to right: Fyne v2.7.1 (which shapes each run with HarfBuzz but
// places the runs in logical order) and the slip's own shaping.
//
// The levels come from golang.org/x/text/unicode/bidi (rules P to I and
// L1 of the Unicode Bidirectional Algorithm, UAX #9). Its Ordering gives
// the runs in logical order and only their direction, not their levels,
// so this package rebuilds the levels and applies rule L2 itself.
//
//	bidi.Runs("الغداء 12:30 – 13:30", bidi.RTL)
//	// [{"13:30" false} {" – " true} {"12:30" false} {"الغداء " true}]
//
// A right-to-left run keeps its logical order: a shaper (HarfBuzz) joins
// its letters and draws it right to left itself.
//
// Explicit directional embeddings and isolates (U+202A–U+202E,
// U+2066–U+2069) are dropped: nothing the kiosk shows needs them, and
// without them every character sits at the paragraph level or one or two
// above it, which is what lets the levels be rebuilt.
package bidi

import (
	"strings"
	"unicode"
	"unicode/utf8"

	xbidi "golang.org/x/text/unicode/bidi"
)

// Direction is a paragraph's base direction: the side its lines start on.
type Direction int

// The base directions.
const (
	LTR Direction = iota // Dutch, English, Turkish, Tigrinya, …
	RTL                  // Arabic
)

// Base returns the base direction of lang's paragraphs.
func Base(lang string) Direction {
	if IsRTL(lang) {
		return RTL
	}
	return LTR
}

// IsRTL reports whether lang (a BCP 47 tag such as "ar" or "ar-MA") is
// written right to left: Arabic, Persian, Hebrew, Urdu.
func IsRTL(lang string) bool {
	primary, _, _ := strings.Cut(strings.ToLower(strings.TrimSpace(lang)), "-")
	primary, _, _ = strings.Cut(primary, "_")
	switch primary {
	case "ar", "fa", "he", "iw", "ur":
		return true
	}
	return false
}

// Run is a stretch of text in one direction. Text is in logical order
// (as typed); RTL says it is drawn right to left.
type Run struct {
	Text string
	RTL  bool
}

// Runs splits s into its directional runs and returns them in visual
// order, leftmost first, each in logical order: for a renderer that shapes
// run by run and places the runs left to right. s is one line: wrap
// first, then order each line. A line break in s ends a paragraph; each
// paragraph is ordered on its own and the break is a run of its own.
func Runs(s string, base Direction) []Run {
	var out []Run
	for para, sep := range paragraphs(s) {
		out = append(out, lineRuns([]rune(stripControls(para)), base)...)
		if sep != "" {
			out = append(out, Run{Text: sep})
		}
	}
	return out
}

// LRM is the left-to-right mark, U+200E: invisible, zero width, strongly
// left to right.
const LRM = "\u200e"

// Visual returns s reordered for a renderer that places runs left to right
// but runs the bidi algorithm again on what it is given, as Fyne does
// (taking the paragraph direction from the first strong character). The
// runs stand in visual order; each right-to-left run keeps its logical
// order, so the shaper joins it and draws it right to left; spaces and
// punctuation at its ends are moved out of it, mirrored; and left-to-right
// marks (LRM) fence it in, so that the second pass leaves everything where
// it stands. Text with nothing right to left in it is returned unchanged
// (bar explicit controls, which are dropped as everywhere here).
// s is one line, as for Runs.
func Visual(s string, base Direction) string { return VisualFor(s, base, nil) }

// VisualFor is Visual for a renderer that also splits runs where the font
// changes and lays those pieces out left to right, as Fyne does: inFont
// tells whether the right-to-left font draws a rune. A right-to-left run
// with a rune the font lacks ("اليوم · الاثنين": no middle dot in Noto
// Sans Arabic) is cut there and its pieces written in reverse, each
// fenced, so each is drawn where it belongs. nil means one font draws
// everything.
func VisualFor(s string, base Direction, inFont func(rune) bool) string {
	var b strings.Builder
	for para, sep := range paragraphs(s) {
		para = stripControls(para)
		runs := lineRuns([]rune(para), base)
		if !anyRTL(runs) {
			b.WriteString(para)
		} else {
			b.WriteString(LRM)
			for _, r := range runs {
				writeFenced(&b, r, inFont)
			}
		}
		b.WriteString(sep)
	}
	return b.String()
}

func anyRTL(runs []Run) bool {
	for _, r := range runs {
		if r.RTL {
			return true
		}
	}
	return false
}

// writeFenced writes r for Visual. A right-to-left run is written as its
// trailing neutrals reversed, LRM, its core (first to last strong
// right-to-left letter, with their marks) in logical order, LRM, and its
// leading neutrals reversed: seen left to right, exactly how the run is
// drawn. Arabic-Indic digits, which a second pass would make a level of
// their own, are fenced too.
func writeFenced(b *strings.Builder, r Run, inFont func(rune) bool) {
	if !r.RTL {
		if hasClass(r.Text, xbidi.AN) {
			b.WriteString(LRM + r.Text + LRM)
		} else {
			b.WriteString(r.Text)
		}
		return
	}
	start, end := -1, -1
	for i, c := range r.Text {
		switch class(c) {
		case xbidi.R, xbidi.AL:
			if start < 0 {
				start = i
			}
			end = i + utf8.RuneLen(c)
		case xbidi.NSM, xbidi.BN:
			if end == i {
				end = i + utf8.RuneLen(c) // a mark stays with its letter
			}
		}
	}
	if start < 0 {
		b.WriteString(xbidi.ReverseString(r.Text))
		return
	}
	b.WriteString(xbidi.ReverseString(r.Text[end:]))
	writeCore(b, r.Text[start:end], inFont)
	b.WriteString(xbidi.ReverseString(r.Text[:start]))
}

// writeCore writes the core of a right-to-left run in logical order
// between LRMs; where inFont lacks a rune, the core is cut into pieces
// written last first, the foreign runes (neutrals: a middle dot, a dash)
// reversed between them.
func writeCore(b *strings.Builder, core string, inFont func(rune) bool) {
	if inFont == nil {
		b.WriteString(LRM + core + LRM)
		return
	}
	type piece struct {
		text    string
		foreign bool
	}
	var pieces []piece
	for _, c := range core {
		foreign := !inFont(c) && class(c) != xbidi.R && class(c) != xbidi.AL && class(c) != xbidi.NSM
		if n := len(pieces); n > 0 && pieces[n-1].foreign == foreign {
			pieces[n-1].text += string(c)
			continue
		}
		pieces = append(pieces, piece{string(c), foreign})
	}
	for i := len(pieces) - 1; i >= 0; i-- {
		if pieces[i].foreign {
			b.WriteString(xbidi.ReverseString(pieces[i].text))
		} else {
			writeFenced(b, Run{Text: pieces[i].text, RTL: true}, nil)
		}
	}
}

func class(c rune) xbidi.Class {
	p, _ := xbidi.LookupRune(c)
	return p.Class()
}

func hasClass(s string, want xbidi.Class) bool {
	for _, c := range s {
		if class(c) == want {
			return true
		}
	}
	return false
}

// paragraphs yields s split at paragraph separators (class B: line feed,
// carriage return, U+2029, …), each with the separator that ends it.
func paragraphs(s string) func(yield func(para, sep string) bool) {
	return func(yield func(para, sep string) bool) {
		for s != "" {
			i := strings.IndexFunc(s, func(c rune) bool { return class(c) == xbidi.B })
			if i < 0 {
				yield(s, "")
				return
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			if s[i] == '\r' && strings.HasPrefix(s[i:], "\r\n") {
				n = 2
			}
			if !yield(s[:i], s[i:i+n]) {
				return
			}
			s = s[i+n:]
		}
	}
}

// stripControls drops explicit embeddings, overrides and isolates.
func stripControls(s string) string {
	return strings.Map(func(c rune) rune {
		if (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) {
			return -1
		}
		return c
	}, s)
}

// lineRuns orders one line of one paragraph.
func lineRuns(rs []rune, base Direction) []Run {
	if len(rs) == 0 {
		return nil
	}
	lv := levels(rs, base)

	// Level runs in logical order, then rule L2 over them: from the
	// highest level down to the lowest odd one, reverse every stretch of
	// runs at that level or higher.
	type span struct{ start, end, level int }
	var spans []span
	for i := 0; i < len(rs); {
		j := i + 1
		for j < len(rs) && lv[j] == lv[i] {
			j++
		}
		spans = append(spans, span{i, j, lv[i]})
		i = j
	}
	highest, lowestOdd := 0, 1<<30
	for _, s := range spans {
		highest = max(highest, s.level)
		if s.level%2 == 1 {
			lowestOdd = min(lowestOdd, s.level)
		}
	}
	for l := highest; l >= lowestOdd; l-- {
		for i := 0; i < len(spans); {
			if spans[i].level < l {
				i++
				continue
			}
			j := i
			for j < len(spans) && spans[j].level >= l {
				j++
			}
			for a, b := i, j-1; a < b; a, b = a+1, b-1 {
				spans[a], spans[b] = spans[b], spans[a]
			}
			i = j
		}
	}

	// Neighbours in the same direction that are neighbours in the text
	// too (levels 0 and 2) make one run.
	var out []Run
	var last span
	for i, s := range spans {
		rtl := s.level%2 == 1
		if i > 0 && rtl == (last.level%2 == 1) {
			if !rtl && last.end == s.start {
				out[len(out)-1].Text += string(rs[s.start:s.end])
				last.end = s.end
				continue
			}
			if rtl && s.end == last.start {
				out[len(out)-1].Text = string(rs[s.start:s.end]) + out[len(out)-1].Text
				last.start = s.start
				continue
			}
		}
		out = append(out, Run{Text: string(rs[s.start:s.end]), RTL: rtl})
		last = s
	}
	return out
}

// levels returns the embedding level of every rune of one paragraph
// without explicit controls, after rule L1.
//
// x/text computes the levels but reports only whether each is odd. With
// no explicit embeddings a level is the paragraph's, or one or two above
// it (rules I1 and I2). Right to left, even means 2 and odd means 1. Left
// to right, odd means 1, and even means 0 except for numbers that rules
// W1–W7 left as numbers, which I1 raises to 2; numberLike finds those.
func levels(rs []rune, base Direction) []int {
	text := string(rs)
	var opts []xbidi.Option
	shift := 0
	if base == RTL {
		opts = append(opts, xbidi.DefaultDirection(xbidi.RightToLeft))
	} else {
		// x/text takes "left to right" as "find out from the text" (rules
		// P2 and P3): a leading LRM makes the answer left to right.
		text = LRM + text
		shift = 1
	}
	odd := make([]bool, len(rs))
	var p xbidi.Paragraph
	if _, err := p.SetString(text, opts...); err == nil {
		if o, err := p.Order(); err == nil {
			for i := range o.NumRuns() {
				r := o.Run(i)
				start, end := r.Pos()
				for j := max(start-shift, 0); j <= end-shift && j < len(rs); j++ {
					odd[j] = r.Direction() == xbidi.RightToLeft
				}
			}
		}
	}
	lv := make([]int, len(rs))
	if base == RTL {
		for i := range lv {
			lv[i] = 2
			if odd[i] {
				lv[i] = 1
			}
		}
		glueJoined(rs, lv)
		return lv
	}
	num := numberLike(rs)
	for i := range lv {
		switch {
		case odd[i]:
			lv[i] = 1
		case num[i]:
			lv[i] = 2
		}
	}
	return lv
}

// glueJoined keeps a phone number, a code or a date whole in a
// right-to-left line: a hyphen, slash, dot or colon with a letter or digit
// on both sides, both left to right, takes their level. UAX #9 would let
// it split "0800-0113" after Arabic words (the digits become Arabic
// numbers, which a hyphen does not join) and "K7M-4QX" (a letter and a
// digit do not hold a neutral between them), drawing "0113-0800" and
// "4QX-K7M": a visitor would dial or type the wrong thing.
func glueJoined(rs []rune, lv []int) {
	for i := 1; i+1 < len(rs); i++ {
		switch rs[i] {
		case '-', '/', '.', ':', '\u2011':
		default:
			continue
		}
		l, r := lv[i-1], lv[i+1]
		if l == r && l%2 == 0 && lv[i]%2 == 1 && alnum(rs[i-1]) && alnum(rs[i+1]) {
			lv[i] = l
		}
	}
}

func alnum(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

// numberLike reports, for each rune of a left-to-right paragraph without
// explicit controls, whether rules W1–W7 resolve it to a European or
// Arabic number. Boundary neutrals (BN) are skipped, as rule X9 removes
// them, and take the result of the rune before them.
func numberLike(rs []rune) []bool {
	var idx []int
	var t []xbidi.Class
	for i, c := range rs {
		if cl := class(c); cl != xbidi.BN {
			idx = append(idx, i)
			t = append(t, cl)
		}
	}
	// W1: a non-spacing mark takes the type of what it is on.
	prev := xbidi.L // sos
	for k := range t {
		if t[k] == xbidi.NSM {
			t[k] = prev
		}
		prev = t[k]
	}
	// W2: a European number after Arabic letters is an Arabic number.
	// W3: Arabic letters are right to left.
	strong := xbidi.L
	for k := range t {
		switch t[k] {
		case xbidi.L, xbidi.R, xbidi.AL:
			strong = t[k]
		case xbidi.EN:
			if strong == xbidi.AL {
				t[k] = xbidi.AN
			}
		}
	}
	for k := range t {
		if t[k] == xbidi.AL {
			t[k] = xbidi.R
		}
	}
	// W4: one separator between two numbers of a kind joins them.
	for k := 1; k+1 < len(t); k++ {
		switch {
		case t[k] == xbidi.ES && t[k-1] == xbidi.EN && t[k+1] == xbidi.EN:
			t[k] = xbidi.EN
		case t[k] == xbidi.CS && t[k-1] == t[k+1] && (t[k-1] == xbidi.EN || t[k-1] == xbidi.AN):
			t[k] = t[k-1]
		}
	}
	// W5: terminators (%, €, …) next to a European number join it.
	for k := 0; k < len(t); {
		if t[k] != xbidi.ET {
			k++
			continue
		}
		j := k
		for j < len(t) && t[j] == xbidi.ET {
			j++
		}
		if (k > 0 && t[k-1] == xbidi.EN) || (j < len(t) && t[j] == xbidi.EN) {
			for m := k; m < j; m++ {
				t[m] = xbidi.EN
			}
		}
		k = j
	}
	// W6 makes the remaining separators neutral; W7: a European number
	// after left-to-right letters (or at the start) is left to right.
	strong = xbidi.L
	out := make([]bool, len(rs))
	for k := range t {
		switch t[k] {
		case xbidi.L, xbidi.R:
			strong = t[k]
		case xbidi.EN:
			out[idx[k]] = strong == xbidi.R
		case xbidi.AN:
			out[idx[k]] = true
		}
	}
	for i, c := range rs {
		if i > 0 && class(c) == xbidi.BN {
			out[i] = out[i-1]
		}
	}
	return out
}
