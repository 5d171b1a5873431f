package slip

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	"github.com/jung-kurt/gofpdf"
	"github.com/skip2/go-qrcode"
)

// ptMM converts points, the unit of type sizes, to millimetres.
const ptMM = 25.4 / 72

// Vertical metrics of DejaVu Sans as fractions of the type size (hhea).
const (
	ascent  = 0.928
	descent = 0.236
	leading = 1.25 // line height as a multiple of the type size
)

// face is a type style: weight and size in points on 80 mm paper.
type face struct {
	bold bool
	size float64
}

// align places a line between the margins.
type align int

const (
	left align = iota
	center
)

// page lays out one slip. Layout runs top to bottom, measuring with the
// document's own fonts and recording a drawing step for everything it
// places; finish then makes a page exactly as tall as the layout and
// replays the steps on it. One page is one document, used by one goroutine.
type page struct {
	pdf   *gofpdf.Fpdf
	paper paper
	y     float64  // top of the next free space, mm
	steps []func() // drawing, in layout order
}

// family is the name the slip fonts are registered under in each document.
const family = "dejavu"

// newPage starts a document with the slip fonts. Parsing the fonts again
// for every document costs a few milliseconds, but gofpdf offers no way to
// share a parsed font between documents.
func (r *Renderer) newPage(opt Options) (*page, error) {
	paper, err := opt.paper()
	if err != nil {
		return nil, err
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCatalogSort(true) // the same slip gives the same bytes, bar the date
	pdf.SetMargins(0, 0, 0)
	pdf.AddUTF8FontFromBytes(family, "", r.regular)
	pdf.AddUTF8FontFromBytes(family, "B", r.bold)
	pdf.SetFont(family, "B", 10) // gofpdf reports a font that did not load here
	pdf.SetFont(family, "", 10)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("load slip fonts: %w", err)
	}
	return &page{pdf: pdf, paper: paper}, nil
}

// contentWidth is the width between the margins, mm.
func (p *page) contentWidth() float64 { return p.paper.width - 2*p.paper.margin }

// points is the size f is set in on this paper.
func (p *page) points(f face) float64 { return f.size * p.paper.scale }

// setFont selects f for measuring and drawing.
func (p *page) setFont(f face, size float64) {
	style := ""
	if f.bold {
		style = "B"
	}
	p.pdf.SetFont(family, style, size)
}

// space adds mm of empty paper.
func (p *page) space(mm float64) { p.y += mm }

// text places s (cleaned, lines split by '\n') in face f, wrapped to the
// content width.
func (p *page) text(s string, f face, a align) {
	if s == "" {
		return
	}
	size := p.points(f)
	p.setFont(f, size)
	for _, para := range strings.Split(s, "\n") {
		for _, line := range p.wrap(para, p.contentWidth()) {
			p.line(line, f, size, a)
		}
	}
}

// fit places s in face f, shrunk until its widest line fits the content
// width but no smaller than minSize points; below that it wraps.
func (p *page) fit(s string, f face, minSize float64) {
	if s == "" {
		return
	}
	size := p.points(f)
	p.setFont(f, size)
	widest := 0.0
	for _, line := range strings.Split(s, "\n") {
		widest = max(widest, p.pdf.GetStringWidth(line))
	}
	if widest > p.contentWidth() {
		size = max(minSize, math.Floor(size*p.contentWidth()/widest*4)/4)
		p.setFont(f, size)
	}
	for _, para := range strings.Split(s, "\n") {
		for _, line := range p.wrap(para, p.contentWidth()) {
			p.line(line, f, size, center)
		}
	}
}

// line places one line that fits; the current font must be f at size.
func (p *page) line(s string, f face, size float64, a align) {
	em := size * ptMM
	lh := em * leading
	x := p.paper.margin
	if a == center {
		x += (p.contentWidth() - p.pdf.GetStringWidth(s)) / 2
	}
	baseline := p.y + (lh-(ascent+descent)*em)/2 + ascent*em
	p.steps = append(p.steps, func() {
		p.setFont(f, size)
		p.pdf.Text(x, baseline, s)
	})
	p.y += lh
}

// wrap breaks s into lines no wider than w in the current font: at spaces
// where it can, inside a word that is wider than a line by itself.
func (p *page) wrap(s string, w float64) []string {
	width := p.pdf.GetStringWidth
	if width(s) <= w {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, word := range strings.Split(s, " ") {
		if line != "" {
			if width(line+" "+word) <= w {
				line += " " + word
				continue
			}
			lines = append(lines, line)
		}
		line = word
		for width(line) > w {
			head, tail := p.breakWord(line, w)
			lines = append(lines, head)
			line = tail
		}
	}
	return append(lines, line)
}

// breakWord splits word after as many runes as fit in w, at least one,
// preferring the last place that fit just after a slash, hyphen or other
// URL punctuation so links stay readable.
func (p *page) breakWord(word string, w float64) (head, tail string) {
	used, soft := 0.0, 0
	for i, c := range word {
		used += p.pdf.GetStringWidth(string(c))
		if used > w && i > 0 {
			if soft > i/2 {
				i = soft
			}
			return word[:i], word[i:]
		}
		if strings.ContainsRune("/-.?&=_,;:", c) {
			soft = i + utf8.RuneLen(c)
		}
	}
	return word, ""
}

// rule draws a horizontal line across the content width, thick mm thick,
// with gap mm of air above and below.
func (p *page) rule(thick, gap float64) {
	p.y += gap
	y := p.y + thick/2
	p.steps = append(p.steps, func() {
		p.pdf.SetLineWidth(thick)
		p.pdf.Line(p.paper.margin, y, p.paper.width-p.paper.margin, y)
	})
	p.y += thick + gap
}

// qr places a QR code holding exactly content, centred, with a quiet zone
// of four modules on every side. On 80 mm paper the symbol is about 50 mm
// wide; on 58 mm it and its quiet zone fill the content width.
func (p *page) qr(content string) error {
	code, err := qrcode.New(content, qrcode.Medium)
	if err != nil {
		return fmt.Errorf("qr code: %w", err)
	}
	code.DisableBorder = true // the quiet zone is drawn as white paper below
	bits := code.Bitmap()
	n := float64(len(bits))
	module := min(p.paper.qr/n, p.contentWidth()/(n+8))
	// A whole number of dots of a 203 dpi (8 dots/mm) print head keeps every
	// module the same width on paper.
	if dots := math.Floor(module * 8); dots >= 2 {
		module = dots / 8
	}
	side := module * n
	x0 := (p.paper.width - side) / 2
	p.y += 4 * module
	y0 := p.y
	p.steps = append(p.steps, func() {
		// One path of all dark runs, filled once: abutting rectangles
		// filled one by one leave hairline seams in anti-aliased renders.
		pdf := p.pdf
		for row, line := range bits {
			y := y0 + float64(row)*module
			for col := 0; col < len(line); {
				if !line[col] {
					col++
					continue
				}
				start := col
				for col < len(line) && line[col] {
					col++
				}
				xa, xb := x0+float64(start)*module, x0+float64(col)*module
				pdf.MoveTo(xa, y)
				pdf.LineTo(xb, y)
				pdf.LineTo(xb, y+module)
				pdf.LineTo(xa, y+module)
				pdf.ClosePath()
			}
		}
		pdf.DrawPath("F")
	})
	p.y += side + 4*module
	return nil
}

// finish makes the page as tall as the layout plus bottom mm and draws it.
func (p *page) finish(bottom float64) ([]byte, error) {
	h := math.Ceil((p.y+bottom)*10) / 10
	p.pdf.AddPageFormat("P", gofpdf.SizeType{Wd: p.paper.width, Ht: h})
	p.pdf.SetTextColor(0, 0, 0)
	p.pdf.SetDrawColor(0, 0, 0)
	p.pdf.SetFillColor(0, 0, 0)
	for _, step := range p.steps {
		step()
	}
	var buf bytes.Buffer
	if err := p.pdf.Output(&buf); err != nil {
		return nil, fmt.Errorf("write slip pdf: %w", err)
	}
	return buf.Bytes(), nil
}
