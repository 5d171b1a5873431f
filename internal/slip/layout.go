package slip

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"strings"
	"unicode"

	"github.com/jung-kurt/gofpdf"
	"github.com/skip2/go-qrcode"

	"buurtbalie/internal/bidi"
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

// align places a line between the margins. start is the side lines
// begin on: the left, or the right in a right-to-left language.
type align int

const (
	start align = iota
	center
)

// page lays out one slip. Layout runs top to bottom, measuring with the
// document's own fonts and recording a drawing step for everything it
// places; finish then makes a page exactly as tall as the layout and
// replays the steps on it. One page is one document, used by one goroutine.
type page struct {
	pdf    *gofpdf.Fpdf
	r      *loaded
	paper  paper
	y      float64  // top of the next free space, mm
	steps  []func() // drawing, in layout order
	images int      // line images registered so far
	err    error    // the first thing that went wrong; finish returns it
}

// family is the name the slip fonts are registered under in each document.
const family = "dejavu"

// newPage starts a document with the slip fonts. Parsing the fonts again
// for every document costs a few milliseconds, but gofpdf offers no way to
// share a parsed font between documents. Each document gets its own copy
// of the font bytes: when gofpdf subsets a font it pads tables by
// appending to slices of the bytes it was given, writing into them, so
// documents rendered at once must not share them (go test -race showed it).
func (r *loaded) newPage(opt Options) (*page, error) {
	paper, err := opt.paper()
	if err != nil {
		return nil, err
	}
	pdf := gofpdf.New("P", "mm", "A4", "")
	pdf.SetAutoPageBreak(false, 0)
	pdf.SetCatalogSort(true) // the same slip gives the same bytes, bar the date
	pdf.SetMargins(0, 0, 0)
	pdf.AddUTF8FontFromBytes(family, "", bytes.Clone(r.regular))
	pdf.AddUTF8FontFromBytes(family, "B", bytes.Clone(r.bold))
	pdf.SetFont(family, "B", 10) // gofpdf reports a font that did not load here
	pdf.SetFont(family, "", 10)
	if err := pdf.Error(); err != nil {
		return nil, fmt.Errorf("load slip fonts: %w", err)
	}
	return &page{pdf: pdf, r: r, paper: paper}, nil
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
// content width. dir is the direction of s's language: it decides which
// side start is.
func (p *page) text(s string, f face, a align, dir bidi.Direction) {
	if s == "" {
		return
	}
	size := p.points(f)
	for _, para := range strings.Split(s, "\n") {
		l := p.layout(para, f, size, a, dir)
		for _, line := range wrap(para, p.contentWidth(), l.width) {
			p.line(line, l)
		}
	}
}

// fit places s centred in face f, shrunk until its widest line fits the
// content width but no smaller than minSize points; below that it wraps.
func (p *page) fit(s string, f face, minSize float64, dir bidi.Direction) {
	if s == "" {
		return
	}
	size := p.points(f)
	paras := strings.Split(s, "\n")
	widest := 0.0
	for _, para := range paras {
		widest = max(widest, p.layout(para, f, size, center, dir).width(para))
	}
	if widest > p.contentWidth() {
		size = max(minSize, math.Floor(size*p.contentWidth()/widest*4)/4)
	}
	for _, para := range paras {
		l := p.layout(para, f, size, center, dir)
		for _, line := range wrap(para, p.contentWidth(), l.width) {
			p.line(line, l)
		}
	}
}

// paraLayout is how the lines of one paragraph are drawn.
type paraLayout struct {
	f     face
	size  float64 // points
	a     align
	dir   bidi.Direction // of the paragraph's language: which side start is
	set   bool           // set and drawn as images (see Renderer.sets), not as text
	base  bidi.Direction // the paragraph's own direction, for ordering its lines
	width func(string) float64
}

// layout decides how paragraph para is drawn, and measures its pieces in
// mm: by the slip font's own widths, or, when it must be set, by setting
// them.
func (p *page) layout(para string, f face, size float64, a align, dir bidi.Direction) paraLayout {
	l := paraLayout{f: f, size: size, a: a, dir: dir, set: p.r.sets(para), base: p.r.base(para, dir)}
	if !l.set {
		l.width = func(s string) float64 {
			p.setFont(f, size)
			return p.pdf.GetStringWidth(plain(s))
		}
		return l
	}
	l.width = func(s string) float64 {
		set, err := p.r.setter.Set(s, f.bold, l.base)
		if err != nil {
			p.fail(err)
		}
		return set.Advance * size * ptMM
	}
	return l
}

// fail keeps the first error of the layout.
func (p *page) fail(err error) {
	if p.err == nil {
		p.err = err
	}
}

// x is where a line w mm wide starts.
func (p *page) x(w float64, l paraLayout) float64 {
	switch {
	case l.a == center:
		return p.paper.margin + (p.contentWidth()-w)/2
	case l.dir == bidi.RTL:
		return p.paper.margin + p.contentWidth() - w
	}
	return p.paper.margin
}

// line places one line that fits: as text in the slip font, or set and
// drawn as an image.
func (p *page) line(s string, l paraLayout) {
	if l.set {
		p.setLine(s, l)
		return
	}
	em := l.size * ptMM
	lh := em * leading
	baseline := p.y + (lh-(ascent+descent)*em)/2 + ascent*em
	p.y += lh
	s = plain(s)
	x := p.x(l.width(s), l)
	p.steps = append(p.steps, func() {
		p.setFont(l.f, l.size)
		p.pdf.Text(x, baseline, s)
	})
}

// lineDPI is the resolution lines that are set are drawn at: finer than
// any receipt printer (203 or 300 dpi), so their edges stay sharp however
// the printer scales them.
const lineDPI = 600

// setLine sets s, rasterises it and places the image. The line is as
// tall as its fonts ask, with the air text lines have: a line in DejaVu
// alone lines up with the text lines around it.
func (p *page) setLine(s string, l paraLayout) {
	set, err := p.r.setter.Set(s, l.f.bold, l.base)
	if err != nil {
		p.fail(err)
		return
	}
	em := l.size * ptMM
	box := set.Ascent + set.Descent
	lh := em * box * leading / (ascent + descent)
	baseline := p.y + (lh-box*em)/2 + set.Ascent*em
	p.y += lh
	x := p.x(set.Advance*em, l)
	bm := set.Raster(l.size, lineDPI)
	if bm.Image == nil {
		return // only spaces
	}
	var buf bytes.Buffer
	// gofpdf inflates the PNG to part ink from mask, then deflates both:
	// compressing it here would be work thrown away.
	enc := png.Encoder{CompressionLevel: png.NoCompression}
	if err := enc.Encode(&buf, ink(bm.Image)); err != nil {
		p.fail(fmt.Errorf("line image: %w", err))
		return
	}
	p.images++
	name := fmt.Sprintf("line%d", p.images)
	opts := gofpdf.ImageOptions{ImageType: "PNG"}
	p.pdf.RegisterImageOptionsReader(name, opts, &buf)
	mmPx := 25.4 / lineDPI
	b := bm.Image.Bounds()
	left, top := x-float64(bm.OriginX)*mmPx, baseline-float64(bm.OriginY)*mmPx
	w, h := float64(b.Dx())*mmPx, float64(b.Dy())*mmPx
	p.steps = append(p.steps, func() {
		p.pdf.ImageOptions(name, left, top, w, h, false, opts, 0, "")
	})
}

// ink turns coverage into black ink that lets the paper through where
// there is none: neighbouring lines' images may overlap a little where
// one line's descenders reach the next line's top.
func ink(coverage *image.Alpha) *image.NRGBA {
	img := image.NewNRGBA(coverage.Bounds())
	for i, a := range coverage.Pix {
		img.Pix[4*i+3] = a
	}
	return img
}

// wrap breaks s into lines no wider than w, by width: at spaces where it
// can, but not beside a dash that stands alone, so "9:30 – 16:00" stays
// whole; inside a word that is wider than a line by itself.
func wrap(s string, w float64, width func(string) float64) []string {
	if width(s) <= w {
		return []string{s}
	}
	var lines []string
	line := ""
	for _, word := range splitWords(s) {
		if line != "" {
			if width(line+" "+word) <= w {
				line += " " + word
				continue
			}
			lines = append(lines, line)
		}
		line = word
		for width(line) > w {
			head, tail := breakWord(line, w, width)
			lines = append(lines, head)
			line = tail
		}
	}
	return append(lines, line)
}

// splitWords splits s at its spaces, keeping a lone dash with the words on
// either side of it.
func splitWords(s string) []string {
	var out []string
	glue := false // the last word ends in a lone dash
	for _, w := range strings.Split(s, " ") {
		dash := w == "–" || w == "-"
		if len(out) > 0 && (glue || dash) {
			out[len(out)-1] += " " + w
		} else {
			out = append(out, w)
		}
		glue = dash
	}
	return out
}

// breakWord splits word after as many runes as fit in w, at least one,
// preferring the last place that fit just after a slash, hyphen or other
// URL punctuation so links stay readable. A mark stays with its letter.
func breakWord(word string, w float64, width func(string) float64) (head, tail string) {
	fit, soft, first := 0, 0, len(word)
	punct := false
	for i, c := range word {
		if i > 0 && !unicode.Is(unicode.Mn, c) {
			first = min(first, i)
			if width(word[:i]) > w {
				break
			}
			fit = i
			if punct {
				soft = i
			}
		}
		punct = strings.ContainsRune("/-.?&=_,;:", c)
	}
	switch {
	case fit == 0:
		fit = first
	case soft > fit/2:
		fit = soft
	}
	return word[:fit], word[fit:]
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
	if p.err != nil {
		return nil, p.err
	}
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
