package typeset

import (
	"io/fs"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"unicode"

	"buurtbalie/assets"
	"buurtbalie/internal/bidi"
)

const (
	arabicRegular   = "fonts/NotoSansArabic-Regular.ttf"
	ethiopicRegular = "fonts/NotoSansEthiopic-Regular.ttf"
	dejaVu          = "fonts/DejaVuSans.ttf"
)

// fonts are the slip's: the kiosk's two script fonts, DejaVu Sans for
// the rest.
var fonts = []Font{
	{Regular: arabicRegular, Bold: "fonts/NotoSansArabic-Bold.ttf", Script: unicode.Arabic, Scale: 1.1, Ascent: 0.9, Descent: 0.4},
	{Regular: ethiopicRegular, Bold: "fonts/NotoSansEthiopic-Bold.ttf", Script: unicode.Ethiopic},
	{Regular: dejaVu, Bold: "fonts/DejaVuSans-Bold.ttf"},
}

func newSetter(t testing.TB, fsys fs.FS) *Setter {
	t.Helper()
	ts, err := New(fsys, fonts)
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

func set(t *testing.T, ts *Setter, s string, base bidi.Direction) Line {
	t.Helper()
	l, err := ts.Set(s, false, base)
	if err != nil {
		t.Fatalf("Set(%q): %v", s, err)
	}
	return l
}

// seen is what a reader sees, left to right: each glyph cluster's
// characters. A right-to-left word comes out reversed.
func seen(l Line) string {
	gs := slices.Clone(l.Glyphs)
	sort.SliceStable(gs, func(i, j int) bool { return gs[i].X < gs[j].X })
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(g.Text)
	}
	return b.String()
}

// TestVisualOrder checks that times, numbers, codes and Latin names
// inside Arabic land where an Arabic reader looks for them: the line is
// read from the right, and "الغداء 12:30 – 13:30" has the word on the
// right, then 12:30, then 13:30 on the left.
func TestVisualOrder(t *testing.T) {
	ts := newSetter(t, assets.Fonts)
	tests := []struct {
		name, in string
		base     bidi.Direction
		want     string // left to right
	}{
		{"times after arabic", "الغداء 12:30 – 13:30", bidi.RTL, "13:30 – 12:30 ءادغلا"},
		{"code after colon", "رمزك: K7M-4QX", bidi.RTL, "K7M-4QX :كزمر"},
		{"code inside arabic", "اعرض الرمز K7M-4QX هنا", bidi.RTL, "انه K7M-4QX زمرلا ضرعا"},
		{"number inside arabic", "في الطابق 3 الغرفة", bidi.RTL, "ةفرغلا 3 قباطلا يف"},
		{"date and time", "الاثنين 23 نوفمبر 2026، 10:45", bidi.RTL, "10:45 ،2026 ربمفون 23 نينثلاا"}, // لا is one ligature
		{"phone number", "اتصل 0800-0113", bidi.RTL, "0800-0113 لصتا"},
		{"latin name", "تحدث مع Anna de Vries اليوم", bidi.RTL, "مويلا Anna de Vries عم ثدحت"},
		{"question mark on the left", "هل تحتاج مساعدة؟", bidi.RTL, "؟ةدعاسم جاتحت له"},
		{"full stop after latin", "اسأل عن De Linde.", bidi.RTL, ".De Linde نع لأسا"},
		{"eastern digits", "الساعة ١٢:٣٠", bidi.RTL, "١٢:٣٠ ةعاسلا"},
		{"arabic in a dutch line", "Bezoeker koos: العربية", bidi.LTR, "Bezoeker koos: ةيبرعلا"},
		{"tigrinya", "ሰኑይ 23 ሕዳር 2026፣ 10:45", bidi.LTR, "ሰኑይ 23 ሕዳር 2026፣ 10:45"},
		{"tigrinya with code", "ኮድኩም K7M-4QX።", bidi.LTR, "ኮድኩም K7M-4QX።"},
		{"latin only", "Buurthuis De Linde", bidi.RTL, "Buurthuis De Linde"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := set(t, ts, tt.in, tt.base)
			if got := seen(l); got != tt.want {
				t.Errorf("Set(%q) reads left to right\n%q, want\n%q", tt.in, got, tt.want)
			}
			for i := 1; i < len(l.Glyphs); i++ {
				if l.Glyphs[i].X < l.Glyphs[i-1].X {
					t.Fatalf("glyphs not left to right: %q at %.3f after %q at %.3f", l.Glyphs[i].Text, l.Glyphs[i].X, l.Glyphs[i-1].Text, l.Glyphs[i-1].X)
				}
			}
		})
	}
}

// TestArabicJoins checks HarfBuzz shaped the letters: in a word every
// letter takes its joined form, not the isolated one the character map
// gives, and lam with alef becomes one ligature.
func TestArabicJoins(t *testing.T) {
	ts := newSetter(t, assets.Fonts)
	l := set(t, ts, "مرحبا", bidi.RTL)
	nominal := nominalGlyphs(t, ts, arabicRegular)
	if len(l.Glyphs) != 5 {
		t.Fatalf("مرحبا gives %d glyphs, want 5", len(l.Glyphs))
	}
	for _, g := range l.Glyphs {
		if g.Font != arabicRegular {
			t.Errorf("%q set in %s, want %s", g.Text, g.Font, arabicRegular)
		}
		if r := []rune(g.Text); len(r) == 1 && nominal(r[0]) == g.ID {
			t.Errorf("%q is drawn in its isolated form (glyph %d): not joined", g.Text, g.ID)
		}
	}
	la := set(t, ts, "لا", bidi.RTL)
	if len(la.Glyphs) != 1 || la.Glyphs[0].Text != "لا" {
		t.Errorf("lam alef gives glyphs %+v, want one ligature", la.Glyphs)
	}
}

func nominalGlyphs(t *testing.T, ts *Setter, file string) func(rune) uint32 {
	t.Helper()
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for _, f := range ts.fonts {
		if f.Regular == file {
			face := ts.face(f, false)
			if face == nil {
				t.Fatalf("%s does not load", file)
			}
			return func(c rune) uint32 {
				id, _ := face.NominalGlyph(c)
				return uint32(id)
			}
		}
	}
	t.Fatalf("no font %s", file)
	return nil
}

// TestFonts checks each character is set in the font meant for it:
// Arabic and Ge'ez in their Noto fonts with the spaces and punctuation
// between their words, digits and Latin in DejaVu like the rest of the
// slip.
func TestFonts(t *testing.T) {
	ts := newSetter(t, assets.Fonts)
	tests := []struct {
		in   string
		base bidi.Direction
		want map[string]string // cluster text: font
	}{
		{"رمزك؟ K7M 12", bidi.RTL, map[string]string{"ك": arabicRegular, "؟": arabicRegular, "K": dejaVu, "1": dejaVu}},
		{"ابق قرب", bidi.RTL, map[string]string{" ": arabicRegular}},
		{"ኮድኩም K7M፣ 10:45", bidi.LTR, map[string]string{"ኮ": ethiopicRegular, "፣": ethiopicRegular, "K": dejaVu, ":": dejaVu}},
	}
	for _, tt := range tests {
		for _, g := range set(t, ts, tt.in, tt.base).Glyphs {
			if want, ok := tt.want[g.Text]; ok && g.Font != want {
				t.Errorf("in %q, %q is set in %s, want %s", tt.in, g.Text, g.Font, want)
			}
		}
	}
}

// TestBracketsMirror checks that a bracket in a right-to-left run is
// drawn mirrored, so "(Anna)" inside Arabic opens on the left.
func TestBracketsMirror(t *testing.T) {
	ts := newSetter(t, assets.Fonts)
	l := set(t, ts, "اتصل (Anna) الآن", bidi.RTL)
	nominal := nominalGlyphs(t, ts, dejaVu)
	var left, right uint32
	for i, g := range l.Glyphs {
		if g.Text == "A" {
			left = l.Glyphs[i-1].ID
		}
		if g.Text == "a" {
			right = l.Glyphs[i+1].ID
		}
	}
	if left != nominal('(') || right != nominal(')') {
		t.Errorf("(Anna) is drawn with glyphs %d…%d, want %d…%d", left, right, nominal('('), nominal(')'))
	}
}

// TestRaster checks a line's image: as many pixels as the size and
// resolution ask for, black where the letters are, and sharp: at 600 dpi
// most inked pixels are fully inked, only the edges grey.
func TestRaster(t *testing.T) {
	ts := newSetter(t, assets.Fonts)
	for _, s := range []string{"ابقَ قرب المدخل قليلاً. سيأتي إليك متطوع.", "ኣብ መእተዊ ቁሩብ ተጸበዩ።"} {
		l := set(t, ts, s, bidi.Base(map[bool]string{true: "ar", false: "ti"}[strings.ContainsRune(s, 'ا')]))
		for _, dpi := range []float64{300, 600} {
			bm := l.Raster(10, dpi)
			if bm.Image == nil {
				t.Fatalf("%q: no image", s)
			}
			px := 10.0 / 72 * dpi // pixels per em
			b := bm.Image.Bounds()
			if wantW := (l.Ink.MaxX - l.Ink.MinX) * px; float64(b.Dx()) < wantW || float64(b.Dx()) > wantW+4 {
				t.Errorf("%q at %g dpi: image %d px wide, want %.0f and a pixel each side", s, dpi, b.Dx(), wantW)
			}
			if wantH := (l.Ink.MaxY - l.Ink.MinY) * px; float64(b.Dy()) < wantH || float64(b.Dy()) > wantH+4 {
				t.Errorf("%q at %g dpi: image %d px high, want %.0f and a pixel each side", s, dpi, b.Dy(), wantH)
			}
			if oy := float64(bm.OriginY); oy < l.Ink.MaxY*px || oy > l.Ink.MaxY*px+2 {
				t.Errorf("%q: baseline at %d px from the top, want %.0f", s, bm.OriginY, l.Ink.MaxY*px)
			}
			full, grey := 0, 0
			for _, a := range bm.Image.Pix {
				switch {
				case a == 255:
					full++
				case a > 0:
					grey++
				}
			}
			if dpi == 600 && full < 2*grey {
				t.Errorf("%q at 600 dpi: %d pixels fully inked, %d grey: blurred", s, full, grey)
			}
			if full == 0 {
				t.Errorf("%q at %g dpi: no pixel fully inked", s, dpi)
			}
		}
	}
	if bm := set(t, ts, "   ", bidi.LTR).Raster(10, 600); bm.Image != nil {
		t.Errorf("spaces give an image of %v, want none", bm.Image.Bounds())
	}
}

// TestCovers checks which characters the script fonts draw: their
// scripts' letters, not the punctuation Unicode gives no script ("؟").
func TestCovers(t *testing.T) {
	ts := newSetter(t, assets.Fonts)
	for c, want := range map[rune]bool{'م': true, '؟': false, 'ሀ': true, '፣': true, 'A': false, 'ж': false, '😀': false, '你': false} {
		if got := ts.Covers(c); got != want {
			t.Errorf("Covers(%q) = %v, want %v", c, got, want)
		}
	}
}

// countingFS records which files are read.
type countingFS struct {
	fs.FS
	mu     sync.Mutex
	opened []string
}

func (c *countingFS) Open(name string) (fs.File, error) {
	c.mu.Lock()
	c.opened = append(c.opened, name)
	c.mu.Unlock()
	return c.FS.Open(name)
}

// TestFontsReadOnFirstUse checks a font is read only when a line needs
// it, and that a font that cannot be read leaves its letters to the
// fallback instead of failing the line.
func TestFontsReadOnFirstUse(t *testing.T) {
	files := fstest.MapFS{} // no Ethiopic font
	for _, name := range []string{arabicRegular, "fonts/NotoSansArabic-Bold.ttf", dejaVu, "fonts/DejaVuSans-Bold.ttf"} {
		b, err := fs.ReadFile(assets.Fonts, name)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = &fstest.MapFile{Data: b}
	}
	cfs := &countingFS{FS: files}
	ts := newSetter(t, cfs)
	if len(cfs.opened) != 0 {
		t.Fatalf("New read %v", cfs.opened)
	}
	set(t, ts, "Buurthuis", bidi.LTR)
	if slices.Contains(cfs.opened, arabicRegular) {
		t.Errorf("a Latin line read the Arabic font: %v", cfs.opened)
	}
	set(t, ts, "مرحبا", bidi.RTL)
	if !slices.Contains(cfs.opened, arabicRegular) {
		t.Errorf("an Arabic line did not read the Arabic font: %v", cfs.opened)
	}
	if ts.Covers('ሀ') {
		t.Error("Covers('ሀ') with the Ethiopic font missing")
	}
	if _, err := ts.Set("ሰላም", false, bidi.LTR); err != nil {
		t.Errorf("Ge'ez without its font: %v, want it drawn in the fallback's box", err)
	}

	empty := newSetter(t, fstest.MapFS{})
	if _, err := empty.Set("Buurthuis", false, bidi.LTR); err == nil {
		t.Error("Set without a fallback font gives no error")
	}
}

func TestNewWantsFallback(t *testing.T) {
	if _, err := New(assets.Fonts, fonts[:1]); err == nil {
		t.Error("New with only a script font gives no error")
	}
	if _, err := New(assets.Fonts, nil); err == nil {
		t.Error("New without fonts gives no error")
	}
}

// TestConcurrentSet shows one setter serves goroutines at once.
func TestConcurrentSet(t *testing.T) {
	ts := newSetter(t, assets.Fonts)
	want := seen(set(t, ts, "الغداء 12:30 – 13:30", bidi.RTL))
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for range 8 {
		wg.Go(func() {
			l, err := ts.Set("الغداء 12:30 – 13:30", false, bidi.RTL)
			if err != nil {
				errs <- err.Error()
			} else if got := seen(l); got != want {
				errs <- got
			}
		})
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
