// Package slip lays out the paper slips the kiosk prints on a receipt
// printer: data in, PDF bytes out. A question slip carries the visitor's
// short code and a QR code that takes a volunteer to the question; an
// activity slip is a reminder of one activity.
//
// The package knows no translations: every string arrives already in the
// visitor's language, and Lang says which that is. Lines in the slip font's
// scripts (Latin, Cyrillic) are PDF text; gofpdf neither joins Arabic
// letters nor orders right-to-left text, so lines with Arabic, Ge'ez or
// any other right-to-left letters are set by internal/typeset and drawn
// as images at 600 dpi, right-aligned in an Arabic slip. A slip never shows the question's text, so a lost slip
// tells a stranger nothing but a code; Question has no field for it.
//
// Create one Renderer when the program starts and reuse it; it is safe for
// concurrent use:
//
//	r, err := slip.New()
//	pdf, err := r.RenderQuestion(slip.Question{
//		House: "Buurthuis De Linde",
//		When:  "maandag 23 november 2026, 10:45",
//		Topic: "Geld & post",
//		CodeLabel: "Uw code",
//		Code:  "K7M-4QX",
//		URL:   "http://192.168.1.20:8080/s/3q2-7wEh9kT0aLpXv4nYbQ",
//		Lang:  "nl",
//	}, slip.Options{}) // 80 mm paper
//
// The page is exactly as tall as its content: a receipt printer cuts where
// the page ends.
package slip

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/image/font/sfnt"
	xbidi "golang.org/x/text/unicode/bidi"

	"buurtbalie/assets"
	"buurtbalie/internal/bidi"
	"buurtbalie/internal/typeset"
)

// Errors returned for input the slip cannot be printed from. Test with
// errors.Is; the returned errors add detail.
var (
	// ErrWidth means Options.WidthMM is not a paper width we lay out for.
	ErrWidth = errors.New("width must be 58 or 80 mm")
	// ErrNoCode means Question.Code is empty (or only blanks).
	ErrNoCode = errors.New("code is empty")
	// ErrNoURL means Question.URL is empty.
	ErrNoURL = errors.New("url is empty")
	// ErrBadURL means Question.URL cannot go in a QR code every phone reads
	// alike: it is too long, or holds a byte that is not printable ASCII
	// (a space, a control character, an unencoded "é").
	ErrBadURL = errors.New("url cannot go in the qr code")
	// ErrNoTitle means Activity.Title is empty.
	ErrNoTitle = errors.New("activity title is empty")
)

// MaxURLBytes is the longest URL a question slip accepts. The kiosk's links
// are about 60 bytes; at this length the QR code still has modules of half a
// millimetre on 58 mm paper, which a phone camera reads.
const MaxURLBytes = 512

// Options choose the paper.
type Options struct {
	// WidthMM is the paper width: 80 or 58. Zero means 80.
	WidthMM float64
}

// paper is the geometry of one paper width, in millimetres.
type paper struct {
	width  float64 // of the roll
	margin float64 // left and right; what the printer cannot print, plus air
	qr     float64 // preferred width of the QR symbol, without quiet zone
	scale  float64 // multiplies the type sizes
}

// paper returns the geometry for o.WidthMM. Receipt printers print 72 mm of
// an 80 mm roll and 48 mm of a 58 mm roll.
func (o Options) paper() (paper, error) {
	switch o.WidthMM {
	case 0, 80:
		return paper{width: 80, margin: 4, qr: 50, scale: 1}, nil
	case 58:
		// As wide as fits: the QR code is sized by the quiet zone rule.
		return paper{width: 58, margin: 5, qr: 48, scale: 0.9}, nil
	}
	return paper{}, fmt.Errorf("paper of %g mm: %w", o.WidthMM, ErrWidth)
}

// Question is what a question slip shows. Every string is already in the
// visitor's language; empty optional fields leave their part out.
type Question struct {
	Lang      string // the visitor's language, "ar": decides the direction of the lines in it; empty is Dutch
	House     string // name of the house, on top
	When      string // date and time, formatted: "maandag 23 november 2026, 10:45"
	Topic     string // "Geld & post"
	CodeLabel string // "Uw code"
	Code      string // the short code, "K7M-4QX", printed very large; required
	URL       string // what the QR code holds: "<base URL>/s/<token>"; required
	ScanHint  string // one line under the QR code: "Een vrijwilliger scant deze code"

	Next      []string // what happens next, short paragraphs
	NextDutch []string // the same in Dutch when the visitor reads another language, else empty

	HoursLabel string   // "Vrijwilligers zijn er"
	Hours      []string // one line each: "ma t/m vr 10:00–16:00"

	EmergencyLabel string   // "Spoed?"
	Emergency      []string // "112 · 113 Zelfmoordpreventie 0800-0113 · huisartsenpost ..."
	// EmergencyDutch are the house's own lines in Dutch, below, when
	// Emergency is the standard lines in the visitor's language: what
	// the house added (its own numbers) is then still on the slip.
	EmergencyDutch []string
}

// Activity is what an activity reminder slip shows, already in the
// visitor's language.
type Activity struct {
	Lang   string // the visitor's language, as Question.Lang
	House  string // name of the house, on top
	Title  string // required
	When   string // the date, formatted: "dinsdag 24 november 2026"
	Time   string // "14:00 – 16:00", printed large
	Room   string // "Zaal 3"
	Note   string // a short description or "bring your own cup"
	Footer string // a closing line: the house's address or "Tot dan!"
}

// Renderer turns slips into PDF. It reads the embedded fonts, and which
// characters they can draw, when the first slip is rendered: a kiosk
// keeps those 2 MB only once it prints. They are never changed after, so
// one Renderer serves every goroutine.
type Renderer struct {
	load func() (*loaded, error)
}

// loaded is a Renderer with its fonts read.
type loaded struct {
	regular, bold []byte
	covered       []uint64 // bit r is set when both fonts draw rune r (BMP only)
	setter        *typeset.Setter
}

// New returns a Renderer of the slip fonts (DejaVu Sans) in the embedded
// assets. The Arabic and Ethiopic fonts are read when a slip first needs
// them.
func New() (*Renderer, error) {
	return &Renderer{load: sync.OnceValues(func() (*loaded, error) {
		return newFromFS(assets.Fonts, "fonts/DejaVuSans.ttf", "fonts/DejaVuSans-Bold.ttf")
	})}, nil
}

// RenderQuestion lays out the slip a visitor takes home after leaving a
// question (see loaded.RenderQuestion).
func (r *Renderer) RenderQuestion(q Question, opt Options) ([]byte, error) {
	l, err := r.load()
	if err != nil {
		return nil, err
	}
	return l.RenderQuestion(q, opt)
}

// RenderActivity lays out an activity reminder (see
// loaded.RenderActivity).
func (r *Renderer) RenderActivity(a Activity, opt Options) ([]byte, error) {
	l, err := r.load()
	if err != nil {
		return nil, err
	}
	return l.RenderActivity(a, opt)
}

// scriptFonts set the scripts DejaVu Sans lacks or gofpdf cannot draw;
// DejaVu sets the rest of such a line, so its digits and Latin look like
// the slip's text.
// Both scripts are set a tenth larger: at the same size their letters
// are smaller than DejaVu's, and Ge'ez tells syllables apart by small
// strokes. Arabic lines get room for its deeper descents and marks.
var scriptFonts = []typeset.Font{
	{Regular: "fonts/NotoSansArabic-Regular.ttf", Bold: "fonts/NotoSansArabic-Bold.ttf", Script: unicode.Arabic,
		Scale: 1.1, Ascent: 0.9, Descent: 0.4},
	{Regular: "fonts/NotoSansEthiopic-Regular.ttf", Bold: "fonts/NotoSansEthiopic-Bold.ttf", Script: unicode.Ethiopic,
		Scale: 1.1, Ascent: 0.9, Descent: 0.15},
}

func newFromFS(fsys fs.FS, regularPath, boldPath string) (*loaded, error) {
	r := &loaded{covered: make([]uint64, 0x10000/64)}
	var err error
	fonts := append(slices.Clone(scriptFonts), typeset.Font{Regular: regularPath, Bold: boldPath})
	if r.setter, err = typeset.New(fsys, fonts); err != nil {
		return nil, err
	}
	if r.regular, err = fs.ReadFile(fsys, regularPath); err != nil {
		return nil, fmt.Errorf("read slip font: %w", err)
	}
	if r.bold, err = fs.ReadFile(fsys, boldPath); err != nil {
		return nil, fmt.Errorf("read slip font: %w", err)
	}
	reg, err := sfnt.Parse(r.regular)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", regularPath, err)
	}
	bold, err := sfnt.Parse(r.bold)
	if err != nil {
		return nil, fmt.Errorf("parse %s: %w", boldPath, err)
	}
	// gofpdf keeps widths for the Basic Multilingual Plane only (its width
	// lookup even indexes past the table for U+10000 and panics). Knowing
	// what the fonts cover lets clean print U+FFFD for anything else, so
	// nothing reaches gofpdf that it cannot measure and draw.
	var buf sfnt.Buffer
	for c := rune(0x20); c < 0x10000; c++ {
		g1, err1 := reg.GlyphIndex(&buf, c)
		g2, err2 := bold.GlyphIndex(&buf, c)
		if err1 == nil && err2 == nil && g1 != 0 && g2 != 0 {
			r.covered[c/64] |= 1 << (c % 64)
		}
	}
	if !r.draws(unicode.ReplacementChar) || !r.draws('€') {
		return nil, errors.New("slip font lacks U+FFFD or the euro sign")
	}
	return r, nil
}

// draws reports whether both fonts have a glyph for c.
func (r *loaded) draws(c rune) bool {
	return c >= 0 && c < 0x10000 && r.covered[c/64]&(1<<(c%64)) != 0
}

// sets reports whether s must be set rather than written as PDF text: it
// holds right-to-left letters (or marks), or letters only a script font
// draws.
func (r *loaded) sets(s string) bool {
	for _, c := range s {
		if rtl(c) || !r.draws(c) && !isMark(c) {
			return true
		}
	}
	return false
}

// base is the direction paragraph s is ordered in, in a slip of
// direction dir: right to left in a right-to-left slip when s has
// right-to-left letters; else left to right, so an untranslated Dutch
// "Spoed?" keeps its question mark on the right.
func (r *loaded) base(s string, dir bidi.Direction) bidi.Direction {
	if dir == bidi.RTL && strings.ContainsFunc(s, rtl) {
		return bidi.RTL
	}
	return bidi.LTR
}

// rtl reports whether c is a right-to-left letter or mark (bidi classes
// R and AL).
func rtl(c rune) bool {
	p, _ := xbidi.LookupRune(c)
	return p.Class() == xbidi.R || p.Class() == xbidi.AL
}

// Marks clean keeps for the setter: they order text, as a translator
// may have placed them, but draw nothing.
const (
	lrm = '\u200e' // left-to-right mark
	rlm = '\u200f' // right-to-left mark
	alm = '\u061c' // Arabic letter mark
)

func isMark(c rune) bool { return c == lrm || c == rlm || c == alm }

// plain is s without the marks, for gofpdf, which would draw them.
func plain(s string) string {
	return strings.Map(func(c rune) rune {
		if isMark(c) {
			return -1
		}
		return c
	}, s)
}

// clean makes s safe to print: control and format characters go (a tab or
// line separator becomes a space) but for the marks that order
// right-to-left text (LRM, RLM, ALM), runs of spaces shrink to one, and a run
// of what no font draws (emoji, invalid UTF-8) becomes one U+FFFD.
// With multiline, line breaks stay as '\n'.
func (r *loaded) clean(s string, multiline bool) string {
	b := make([]byte, 0, len(s))
	space := true // true after a space or line start: drop the next space
	for _, c := range s {
		switch {
		case c == '\n' || c == '\r' || c == '\u2028' || c == '\u2029':
			if !multiline {
				c = ' '
				break
			}
			b = bytes.TrimSuffix(b, []byte{' '})
			if len(b) > 0 && b[len(b)-1] != '\n' {
				b = append(b, '\n') // "\r\n" and blank lines give one break
			}
			space = true
			continue
		case c == '\u00a0':
			// A no-break space stays: it binds "0800 0113" together.
		case isMark(c):
		case unicode.IsSpace(c):
			c = ' '
		case unicode.IsControl(c) || unicode.Is(unicode.Cf, c):
			continue
		case c == unicode.ReplacementChar || !r.draws(c) && !r.setter.Covers(c):
			if bytes.HasSuffix(b, []byte(string(unicode.ReplacementChar))) {
				continue // one mark for a run: "👨‍👩‍👧" is one thing
			}
			c = unicode.ReplacementChar
		}
		if c == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b = utf8.AppendRune(b, c)
	}
	return strings.Trim(string(b), " \n")
}

// checkURL reports why u cannot go in the QR code, or nil. Only printable
// ASCII is accepted: a QR code does not say how its bytes are encoded, and
// readers guess (zbar reads "café" as Shift JIS), so anything else must
// arrive percent-encoded, as a URI has it anyway.
func checkURL(u string) error {
	if u == "" {
		return ErrNoURL
	}
	if len(u) > MaxURLBytes {
		return fmt.Errorf("url of %d bytes, at most %d: %w", len(u), MaxURLBytes, ErrBadURL)
	}
	for i := range len(u) {
		if c := u[i]; c <= ' ' || c > '~' {
			return fmt.Errorf("url has byte %#02x at %d, want printable ascii: %w", c, i, ErrBadURL)
		}
	}
	return nil
}
