// Package typeset sets lines of text for a PDF writer that knows neither
// shaping nor bidi (gofpdf, which prints the slips): Arabic letters joined
// as they are written (HarfBuzz, from go-text), the runs of a line that
// mixes Arabic with times, codes or Latin names put in the order they are
// read (internal/bidi), Arabic and Ge'ez in their own Noto fonts and the
// rest in the fallback font. A set line is drawn by rasterising its glyph
// outlines at the printer's resolution or finer.
//
//	ts := typeset.New(assets.Fonts, []typeset.Font{
//		{Regular: "fonts/NotoSansArabic-Regular.ttf", Bold: "fonts/NotoSansArabic-Bold.ttf", Script: unicode.Arabic},
//		{Regular: "fonts/DejaVuSans.ttf", Bold: "fonts/DejaVuSans-Bold.ttf"}, // the fallback
//	})
//	line, err := ts.Set("الغداء 12:30 – 13:30", false, bidi.RTL)
//	bm := line.Raster(10, 600) // 10 pt at 600 dpi
//
// Fonts are read on first use: a kiosk that never prints Arabic never
// parses its font.
package typeset

import (
	"bytes"
	"fmt"
	"image"
	"io/fs"
	"math"
	"sync"
	"unicode"

	"github.com/go-text/typesetting/di"
	"github.com/go-text/typesetting/font"
	"github.com/go-text/typesetting/font/opentype"
	"github.com/go-text/typesetting/language"
	"github.com/go-text/typesetting/shaping"
	"golang.org/x/image/math/fixed"
	"golang.org/x/image/vector"

	"buurtbalie/internal/bidi"
)

// Font is one typeface, regular and bold, as paths in the setter's file
// system.
type Font struct {
	Regular, Bold string
	// Script holds the letters the font is for (unicode.Arabic). The
	// last font of a setter has none: it sets everything else, and what
	// another font lacks.
	Script *unicode.RangeTable
	// Scale multiplies the type size for this font: Arabic letters look
	// smaller than Latin ones of the same size. Zero means 1.
	Scale float64
	// Ascent and Descent are how far a line set in this font reaches
	// above and below its baseline, in em before Scale; zero means what
	// the font says (hhea), which for Noto Sans Arabic leaves room for
	// marks stacked three high.
	Ascent, Descent float64
}

func (f Font) scale() float64 {
	if f.Scale == 0 {
		return 1
	}
	return f.Scale
}

// Setter sets lines. It is safe for concurrent use; lines are set one at
// a time, as go-text's faces and shaper keep caches.
type Setter struct {
	fsys  fs.FS
	fonts []*family // the fallback last

	mu     sync.Mutex
	shaper shaping.HarfbuzzShaper
}

// family is one Font, its faces parsed on first use.
type family struct {
	Font
	faces           [2]*font.Face // regular, bold
	ascent, descent float64       // em, scaled
	err             error
}

// New returns a setter for fonts, read from fsys when first needed. The
// last font is the fallback and must have no Script.
func New(fsys fs.FS, fonts []Font) (*Setter, error) {
	if len(fonts) == 0 || fonts[len(fonts)-1].Script != nil {
		return nil, fmt.Errorf("typeset: the last font must be a fallback, without a script")
	}
	t := &Setter{fsys: fsys}
	for _, f := range fonts {
		t.fonts = append(t.fonts, &family{Font: f})
	}
	return t, nil
}

// load parses f's faces if it has not yet. t.mu is held.
func (t *Setter) load(f *family) error {
	if f.faces[0] != nil || f.err != nil {
		return f.err
	}
	for i, path := range []string{f.Regular, f.Bold} {
		b, err := fs.ReadFile(t.fsys, path)
		if err != nil {
			f.err = fmt.Errorf("typeset: %w", err)
			return f.err
		}
		face, err := font.ParseTTF(bytes.NewReader(b))
		if err != nil {
			f.err = fmt.Errorf("typeset: parse %s: %w", path, err)
			return f.err
		}
		f.faces[i] = face
	}
	f.ascent, f.descent = f.Ascent, f.Descent
	if ext, ok := f.faces[0].FontHExtents(); ok {
		upem := float64(f.faces[0].Upem())
		if f.ascent == 0 {
			f.ascent = float64(ext.Ascender) / upem
		}
		if f.descent == 0 {
			f.descent = -float64(ext.Descender) / upem
		}
	}
	f.ascent *= f.scale()
	f.descent *= f.scale()
	return nil
}

// face returns f's face in the weight asked for, or nil when it cannot
// be read. t.mu is held.
func (t *Setter) face(f *family, bold bool) *font.Face {
	if t.load(f) != nil {
		return nil
	}
	if bold {
		return f.faces[1]
	}
	return f.faces[0]
}

// Covers reports whether one of the script fonts draws c in both weights:
// the letters a PDF's own text font may lack. It reads only the font of
// c's script.
func (t *Setter) Covers(c rune) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, f := range t.fonts {
		if f.Script == nil || !unicode.Is(f.Script, c) {
			continue
		}
		if t.load(f) != nil {
			return false
		}
		_, reg := f.faces[0].NominalGlyph(c)
		_, bold := f.faces[1].NominalGlyph(c)
		if reg && bold {
			return true
		}
	}
	return false
}

// Line is one line of text set in the order it is seen, in units of the
// type size (em): at 10 pt, 1 em is 10 pt. The origin is the left end of
// the baseline; y goes up.
type Line struct {
	Advance float64 // how far the line reaches from the origin
	Ink     Box     // what is drawn; empty when nothing is (spaces only)
	// Ascent and Descent are how far the line's box reaches above and
	// below the baseline: the most of the fonts it is set in (see
	// Font.Ascent). Lines stacked at this distance look evenly spaced;
	// ink may reach beyond.
	Ascent, Descent float64
	// Glyphs are the glyph clusters, left to right.
	Glyphs []Glyph
	path   []segment
}

// Box is a rectangle, em, y up.
type Box struct{ MinX, MinY, MaxX, MaxY float64 }

// Empty reports whether b holds nothing.
func (b Box) Empty() bool { return b.MaxX <= b.MinX || b.MaxY <= b.MinY }

// add grows b to hold (x, y); first says b holds nothing yet.
func (b *Box) add(x, y float64, first bool) {
	if first {
		*b = Box{x, y, x, y}
	}
	b.MinX, b.MaxX = min(b.MinX, x), max(b.MaxX, x)
	b.MinY, b.MaxY = min(b.MinY, y), max(b.MaxY, y)
}

// Glyph is one glyph cluster as set: what it stands for and where.
type Glyph struct {
	Text string  // the characters of the cluster, in logical order
	X    float64 // left end of its advance, em
	Font string  // the font file it is drawn from
	ID   uint32  // the glyph, in that font
	RTL  bool    // set right to left
}

// segment is one step of a glyph outline, in em on the line.
type segment struct {
	op  opentype.SegmentOp
	pts [3][2]float64
}

// units is the em size glyphs are shaped at: HarfBuzz positions come out
// in 1/units em, whatever each font's own units.
const units = 1000

// Set sets s, one line without line breaks, in the bold or regular
// weight. base is the paragraph's direction: it decides where neutral
// characters go (the "?" at the end of an Arabic question is at its left).
// The error says a font could not be read.
func (t *Setter) Set(s string, bold bool, base bidi.Direction) (Line, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	var line Line
	pen := 0.0
	for _, run := range bidi.Runs(s, base) {
		rs := []rune(run.Text)
		segs, err := t.split(rs, bold)
		if err != nil {
			return Line{}, err
		}
		dir := di.DirectionLTR
		if run.RTL {
			dir = di.DirectionRTL
			// Logically first is rightmost: place the last part first.
			for i, j := 0, len(segs)-1; i < j; i, j = i+1, j-1 {
				segs[i], segs[j] = segs[j], segs[i]
			}
		}
		for _, sg := range segs {
			size := math.Round(units * sg.fam.scale())
			out := t.shaper.Shape(shaping.Input{
				Text: rs, RunStart: sg.start, RunEnd: sg.end, // the whole run is context, so joins cross font changes
				Direction: dir,
				Face:      sg.face,
				Size:      fixed.I(int(size)),
				Script:    scriptOf(rs[sg.start:sg.end]),
			})
			pen = line.place(out, rs, sg.file, pen, run.RTL, size/units)
			line.Ascent = max(line.Ascent, sg.fam.ascent)
			line.Descent = max(line.Descent, sg.fam.descent)
		}
	}
	line.Advance = pen
	return line, nil
}

// place adds the glyphs of one shaped part, shaped at scale em, at pen
// and returns the pen after them.
func (l *Line) place(out shaping.Output, rs []rune, file string, pen float64, rtl bool, scale float64) float64 {
	perUnit := scale / float64(out.Face.Upem())
	for _, g := range out.Glyphs {
		x := pen + f26(g.XOffset)/units
		y := f26(g.YOffset) / units
		text := ""
		if g.ClusterIndex >= 0 && g.ClusterIndex+g.RuneCount <= len(rs) {
			text = string(rs[g.ClusterIndex : g.ClusterIndex+g.RuneCount])
		}
		l.Glyphs = append(l.Glyphs, Glyph{Text: text, X: pen, Font: file, ID: uint32(g.GlyphID), RTL: rtl})
		if outline, ok := out.Face.GlyphData(g.GlyphID).(font.GlyphOutline); ok {
			for _, s := range outline.Segments {
				sg := segment{op: s.Op}
				for i, p := range s.ArgsSlice() {
					px, py := x+float64(p.X)*perUnit, y+float64(p.Y)*perUnit
					sg.pts[i] = [2]float64{px, py}
					l.Ink.add(px, py, len(l.path) == 0 && i == 0)
				}
				l.path = append(l.path, sg)
			}
		}
		pen += f26(g.XAdvance) / units
	}
	return pen
}

func f26(v fixed.Int26_6) float64 { return float64(v) / 64 }

// part is a stretch of a run set in one face.
type part struct {
	start, end int
	fam        *family
	face       *font.Face
	file       string
}

// split cuts a run into parts by the font each character is set in: a
// letter in the font of its script when that draws it, else in the
// fallback; spaces, digits and punctuation in the font of the letters
// beside them when it draws them, so an Arabic sentence's spaces and "؟"
// are Arabic, and a mark in the font of the letter it sits on. t.mu is
// held.
func (t *Setter) split(rs []rune, bold bool) ([]part, error) {
	fallback := t.fonts[len(t.fonts)-1]
	if err := t.load(fallback); err != nil {
		return nil, err
	}
	fam := make([]*family, len(rs))
	has := func(f *family, c rune) bool {
		face := t.face(f, bold)
		if face == nil {
			return false
		}
		_, ok := face.NominalGlyph(c)
		return ok
	}
	// Letters first.
	for i, c := range rs {
		if neutral(c) {
			continue
		}
		for _, f := range t.fonts {
			if f.Script != nil && unicode.Is(f.Script, c) && has(f, c) {
				fam[i] = f
				break
			}
		}
		if fam[i] == nil {
			fam[i] = t.anyFor(c, bold, has)
		}
	}
	// Then what sits between them.
	for i, c := range rs {
		if fam[i] != nil {
			continue
		}
		if unicode.Is(unicode.Inherited, c) && i > 0 && fam[i-1] != nil {
			fam[i] = fam[i-1] // a mark stays with its letter
			continue
		}
		for _, f := range neighbours(fam, i) {
			if has(f, c) {
				fam[i] = f
				break
			}
		}
		if fam[i] == nil {
			fam[i] = t.anyFor(c, bold, has)
		}
	}
	var parts []part
	for i := range rs {
		if i > 0 && fam[i] == fam[i-1] {
			parts[len(parts)-1].end = i + 1
			continue
		}
		file := fam[i].Regular
		if bold {
			file = fam[i].Bold
		}
		parts = append(parts, part{start: i, end: i + 1, fam: fam[i], face: t.face(fam[i], bold), file: file})
	}
	return parts, nil
}

// anyFor is the fallback when it draws c, else the first font that does,
// else the fallback (which then draws its "missing" box).
func (t *Setter) anyFor(c rune, bold bool, has func(*family, rune) bool) *family {
	fallback := t.fonts[len(t.fonts)-1]
	if has(fallback, c) {
		return fallback
	}
	for _, f := range t.fonts {
		if has(f, c) {
			return f
		}
	}
	return fallback
}

// neighbours are the fonts of the nearest letters before and after rune
// i that have one.
func neighbours(fam []*family, i int) []*family {
	var out []*family
	for j := i - 1; j >= 0; j-- {
		if fam[j] != nil {
			out = append(out, fam[j])
			break
		}
	}
	for j := i + 1; j < len(fam); j++ {
		if fam[j] != nil {
			out = append(out, fam[j])
			break
		}
	}
	return out
}

// neutral reports whether c belongs to no script of its own: spaces,
// digits, punctuation, marks.
func neutral(c rune) bool {
	return unicode.Is(unicode.Common, c) || unicode.Is(unicode.Inherited, c)
}

// scriptOf is the script HarfBuzz shapes rs in: that of its first letter.
func scriptOf(rs []rune) language.Script {
	for _, c := range rs {
		if s := language.LookupScript(c); s != language.Common && s != language.Inherited && s != language.Unknown {
			return s
		}
	}
	return language.Common
}

// Bitmap is a line drawn: how much of each pixel its ink covers, 0 to
// 255; draw it as black through that mask.
type Bitmap struct {
	Image *image.Alpha
	// OriginX and OriginY are where the line's origin (the left end of its
	// baseline) lies, in pixels from the image's top left corner; it may
	// lie outside the image.
	OriginX, OriginY int
	DPI              float64
}

// Raster draws the line at size points and dpi pixels per inch, its
// edges anti-aliased, on an image just large enough for its ink (plus a
// pixel of nothing around). A line without ink gives a nil Image.
func (l Line) Raster(size, dpi float64) Bitmap {
	if l.Ink.Empty() {
		return Bitmap{DPI: dpi}
	}
	scale := size / 72 * dpi // pixels per em
	left := int(math.Floor(l.Ink.MinX*scale)) - 1
	right := int(math.Ceil(l.Ink.MaxX*scale)) + 1
	top := int(math.Floor(-l.Ink.MaxY*scale)) - 1
	bottom := int(math.Ceil(-l.Ink.MinY*scale)) + 1
	w, h := right-left, bottom-top
	ox, oy := -left, -top

	z := vector.NewRasterizer(w, h)
	pt := func(p [2]float64) (float32, float32) {
		return float32(float64(ox) + p[0]*scale), float32(float64(oy) - p[1]*scale)
	}
	for _, s := range l.path {
		x0, y0 := pt(s.pts[0])
		switch s.op {
		case opentype.SegmentOpMoveTo:
			z.ClosePath()
			z.MoveTo(x0, y0)
		case opentype.SegmentOpLineTo:
			z.LineTo(x0, y0)
		case opentype.SegmentOpQuadTo:
			x1, y1 := pt(s.pts[1])
			z.QuadTo(x0, y0, x1, y1)
		case opentype.SegmentOpCubeTo:
			x1, y1 := pt(s.pts[1])
			x2, y2 := pt(s.pts[2])
			z.CubeTo(x0, y0, x1, y1, x2, y2)
		}
	}
	z.ClosePath()
	mask := image.NewAlpha(image.Rect(0, 0, w, h))
	z.Draw(mask, mask.Bounds(), image.Opaque, image.Point{})
	return Bitmap{Image: mask, OriginX: ox, OriginY: oy, DPI: dpi}
}
