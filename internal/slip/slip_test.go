package slip

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// testURL is shaped like the kiosk's links: LAN address, web port, /s/ and a
// 22-character base64url token (128 bits).
const testURL = "http://192.168.1.20:8080/s/3q2-7wEh9kT0aLpXv4nYbQ"

// sample returns a realistic question slip in Dutch.
func sample() Question {
	return Question{
		House:     "Buurthuis De Linde",
		When:      "maandag 23 november 2026, 10:45",
		Topic:     "Geld & post",
		CodeLabel: "Uw code",
		Code:      "K7M-4QX",
		URL:       testURL,
		ScanHint:  "Een vrijwilliger scant deze code",
		Next: []string{
			"Ga even zitten. Een vrijwilliger komt naar u toe bij de ingang.",
			"Komt u liever later terug? Neem dit bonnetje mee en laat de code zien.",
		},
		HoursLabel:     "Vrijwilligers zijn er",
		Hours:          []string{"ma t/m vr 10:00–16:00", "za 10:00–13:00"},
		EmergencyLabel: "Spoed?",
		Emergency:      []string{"112 · 113 Zelfmoordpreventie 0800-0113 · huisartsenpost 088-0030600"},
	}
}

// newRenderer is a Renderer with its fonts read, so a test can ask what
// they draw.
func newRenderer(t testing.TB) *loaded {
	t.Helper()
	r, err := New()
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	l, err := r.load()
	if err != nil {
		t.Fatalf("reading the slip fonts: %v", err)
	}
	return l
}

// run runs one of the real programs the tests check slips with
// (poppler-utils, zbar-tools) and returns its standard output.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s not found: apt-get install -y --no-install-recommends poppler-utils zbar-tools", name)
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, stderr.String())
	}
	return stdout.String()
}

// writePDF puts pdf in a fresh temp dir and returns its path.
func writePDF(t *testing.T, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "slip.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// decodeQR rasterises pdf at dpi with pdftoppm and returns what zbarimg
// reads from the image: each symbol's content, newline-terminated.
func decodeQR(t *testing.T, pdf []byte, dpi int) string {
	t.Helper()
	in := writePDF(t, pdf)
	png := strings.TrimSuffix(in, ".pdf")
	run(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-png", "-singlefile", in, png)
	// zbarimg exits 4 when it finds no symbol; that is a test failure too.
	return run(t, "zbarimg", "--raw", "-q", png+".png")
}

// pdfText is what pdftotext extracts from pdf.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	return run(t, "pdftotext", "-enc", "UTF-8", writePDF(t, pdf), "-")
}

// pageSize is the size of the page of pdf in points, from pdfinfo.
func pageSize(t *testing.T, pdf []byte) (w, h float64) {
	t.Helper()
	out := run(t, "pdfinfo", writePDF(t, pdf))
	if n := regexp.MustCompile(`Pages:\s+(\d+)`).FindStringSubmatch(out); n == nil || n[1] != "1" {
		t.Fatalf("pdfinfo: want one page:\n%s", out)
	}
	m := regexp.MustCompile(`Page size:\s+([0-9.]+) x ([0-9.]+) pts`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo gives no page size:\n%s", out)
	}
	w, _ = strconv.ParseFloat(m[1], 64)
	h, _ = strconv.ParseFloat(m[2], 64)
	return w, h
}

// words are the words pdftotext finds in pdf with their boxes, in points.
type word struct {
	text       string
	xMin, xMax float64
}

func words(t *testing.T, pdf []byte) []word {
	t.Helper()
	out := run(t, "pdftotext", "-bbox", "-enc", "UTF-8", writePDF(t, pdf), "-")
	re := regexp.MustCompile(`<word xMin="([-0-9.]+)" yMin="[-0-9.]+" xMax="([-0-9.]+)" yMax="[-0-9.]+">([^<]*)</word>`)
	var ws []word
	for _, m := range re.FindAllStringSubmatch(out, -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[2], 64)
		ws = append(ws, word{text: m[3], xMin: x0, xMax: x1})
	}
	return ws
}

// widths are the papers every slip is tried on, with the page width in
// points pdfinfo must report and the side margin in points.
var widths = []struct {
	name           string
	opt            Options
	wantPt, margin float64
}{
	{"80mm-default", Options{}, 226.77, 4 / ptMM},
	{"80mm", Options{WidthMM: 80}, 226.77, 4 / ptMM},
	{"58mm", Options{WidthMM: 58}, 164.41, 5 / ptMM},
}

func TestQuestionQRDecodes(t *testing.T) {
	r := newRenderer(t)
	for _, w := range widths {
		pdf, err := r.RenderQuestion(sample(), w.opt)
		if err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		for _, dpi := range []int{100, 200, 300} {
			t.Run(w.name+"/"+strconv.Itoa(dpi)+"dpi", func(t *testing.T) {
				if got, want := decodeQR(t, pdf, dpi), testURL+"\n"; got != want {
					t.Errorf("QR holds %q, want %q", got, want)
				}
			})
		}
	}
}

func TestQuestionTextExtracts(t *testing.T) {
	r := newRenderer(t)
	q := sample()
	q.Next = []string{"Türkçe: ş ğ ı İ", "Polski: ł ą ę", "Nederlands: é ë ï ó ö ü", "Koffie € 0,50"}
	q.NextDutch = []string{"Ga even zitten."}
	wants := []string{"Buurthuis De Linde", "maandag 23 november 2026, 10:45", "Geld & post", "Uw code", "K7M-4QX",
		"ş ğ ı İ", "ł ą ę", "é ë ï ó ö ü", "€", "Ga even zitten.", "10:00–16:00", "Spoed?", "Zelfmoordpreventie"}
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			pdf, err := r.RenderQuestion(q, w.opt)
			if err != nil {
				t.Fatal(err)
			}
			// Narrow paper may wrap the date; compare words, not lines.
			text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
			for _, want := range wants {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext lacks %q; got:\n%s", want, text)
				}
			}
		})
	}
}

func TestPageSize(t *testing.T) {
	r := newRenderer(t)
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			short := sample()
			short.Next = short.Next[:1]
			long := sample()
			long.Next = append(long.Next, "Een derde alinea.", "Een vierde, met wat meer woorden zodat hij over twee regels loopt.")
			_, h1 := renderSize(t, r, short, w.opt, w.wantPt)
			_, h2 := renderSize(t, r, long, w.opt, w.wantPt)
			if h2 <= h1 {
				t.Errorf("height with 4 paragraphs %.2f pt, with 1 %.2f pt; want it to grow", h2, h1)
			}
			pdf, err := r.RenderActivity(sampleActivity(), w.opt)
			if err != nil {
				t.Fatal(err)
			}
			if got, _ := pageSize(t, pdf); !near(got, w.wantPt) {
				t.Errorf("activity page width %.2f pt, want %.2f", got, w.wantPt)
			}
		})
	}
}

// renderSize renders q and checks the page width.
func renderSize(t *testing.T, r *loaded, q Question, opt Options, wantW float64) (w, h float64) {
	t.Helper()
	pdf, err := r.RenderQuestion(q, opt)
	if err != nil {
		t.Fatal(err)
	}
	w, h = pageSize(t, pdf)
	if !near(w, wantW) {
		t.Errorf("page width %.2f pt, want %.2f", w, wantW)
	}
	return w, h
}

func near(a, b float64) bool { return a-b < 0.01 && b-a < 0.01 }

func sampleActivity() Activity {
	return Activity{
		House:  "Buurthuis De Linde",
		Title:  "Koffieochtend met taalmaatjes",
		When:   "dinsdag 24 november 2026",
		Time:   "10:00 – 12:00",
		Room:   "Zaal 3",
		Note:   "Neem gerust iemand mee. Koffie en thee € 0,50.",
		Footer: "Lindelaan 12 · 010-1234567",
	}
}

func TestActivity(t *testing.T) {
	r := newRenderer(t)
	for _, w := range widths {
		t.Run(w.name, func(t *testing.T) {
			pdf, err := r.RenderActivity(sampleActivity(), w.opt)
			if err != nil {
				t.Fatal(err)
			}
			text := pdfText(t, pdf)
			for _, want := range []string{"Buurthuis De Linde", "Koffieochtend", "dinsdag 24 november 2026", "10:00 – 12:00", "Zaal 3", "€ 0,50", "Lindelaan 12"} {
				if !strings.Contains(text, want) {
					t.Errorf("pdftotext lacks %q; got:\n%s", want, text)
				}
			}
		})
	}
}

func TestInvalidInput(t *testing.T) {
	r := newRenderer(t)
	tests := []struct {
		name string
		q    func(*Question)
		a    *Activity
		opt  Options
		want error
	}{
		{name: "no code", q: func(q *Question) { q.Code = "" }, want: ErrNoCode},
		{name: "blank code", q: func(q *Question) { q.Code = " \t\u200b\n" }, want: ErrNoCode},
		{name: "no url", q: func(q *Question) { q.URL = "" }, want: ErrNoURL},
		{name: "space in url", q: func(q *Question) { q.URL = "http://buurthuis/s/ab cd" }, want: ErrBadURL},
		{name: "newline in url", q: func(q *Question) { q.URL = testURL + "\n" }, want: ErrBadURL},
		{name: "url not utf-8", q: func(q *Question) { q.URL = testURL + "\xff" }, want: ErrBadURL},
		{name: "url not ascii", q: func(q *Question) { q.URL = "http://buurthuis.local/s/café" }, want: ErrBadURL},
		{name: "url with nul", q: func(q *Question) { q.URL = testURL + "\x00" }, want: ErrBadURL},
		{name: "url too long", q: func(q *Question) { q.URL = testURL + strings.Repeat("a", MaxURLBytes) }, want: ErrBadURL},
		{name: "width 70", q: func(*Question) {}, opt: Options{WidthMM: 70}, want: ErrWidth},
		{name: "width negative", q: func(*Question) {}, opt: Options{WidthMM: -80}, want: ErrWidth},
		{name: "activity width 57", a: &Activity{Title: "Koffie"}, opt: Options{WidthMM: 57}, want: ErrWidth},
		{name: "activity no title", a: &Activity{Title: " ", When: "vandaag"}, want: ErrNoTitle},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				pdf []byte
				err error
			)
			if tt.a != nil {
				pdf, err = r.RenderActivity(*tt.a, tt.opt)
			} else {
				q := sample()
				tt.q(&q)
				pdf, err = r.RenderQuestion(q, tt.opt)
			}
			if !errors.Is(err, tt.want) {
				t.Errorf("got error %v, want %v", err, tt.want)
			}
			if pdf != nil {
				t.Errorf("got %d bytes of PDF with the error, want none", len(pdf))
			}
		})
	}
	if got := ErrWidth.Error(); !strings.Contains(got, "58 or 80") {
		t.Errorf("ErrWidth says %q, want it to name 58 or 80", got)
	}
}

// nasty are texts a visitor, a translator or a careless setting may put on
// a slip. None may break the layout or the QR code.
var nasty = []struct{ name, text string }{
	{"emoji", "Geld 💶 & post 🏠👨‍👩‍👧"},
	{"arabic", "مرحبا، أحتاج مساعدة في رسالة من البلدية"},
	{"hebrew-rtl-override", "\u202eשלום evil\u202c ok"},
	{"control", "a\x00b\x07c\x1b[31md\r\ne\tf\x7fg\u0085h"},
	{"long-word", strings.Repeat("Wachtwoord", 50)},
	{"long-url", "https://www.example.org/" + strings.Repeat("pad/", 80) + "?q=" + strings.Repeat("x", 60)},
	{"combining", "e\u0301e\u0308 Ι\u0307 z\u0307"},
	{"invalid-utf8", "ok \xff\xfe\xc3 ok"},
	{"only-spaces", " \n \t "},
	{"many-lines", strings.Repeat("regel\n", 40)},
	{"cjk", "你好，我需要帮助。こんにちは"},
}

func TestNastyText(t *testing.T) {
	r := newRenderer(t)
	for _, n := range nasty {
		for _, w := range widths[1:] {
			t.Run(n.name+"/"+w.name, func(t *testing.T) {
				q := sample()
				q.House = n.text
				q.Topic = n.text
				q.Code = "K7M-4QX " + n.text
				q.Next = []string{n.text, "gewone tekst"}
				q.NextDutch = []string{n.text}
				q.Emergency = []string{n.text}
				pdf, err := r.RenderQuestion(q, w.opt)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := decodeQR(t, pdf, 200), testURL+"\n"; got != want {
					t.Errorf("QR holds %q, want %q", got, want)
				}
				checkOnPaper(t, pdf, w.wantPt, w.margin)
				checkInkInside(t, pdf, w.wantPt, w.margin)
			})
		}
	}
}

// checkOnPaper fails when a word of pdf runs into the margins.
func checkOnPaper(t *testing.T, pdf []byte, widthPt, marginPt float64) {
	t.Helper()
	ws := words(t, pdf)
	if len(ws) == 0 {
		t.Fatal("pdftotext -bbox finds no words")
	}
	const slack = 1.0 // pt; glyph boxes overhang their advance a little
	for _, w := range ws {
		if w.xMin < marginPt-slack || w.xMax > widthPt-marginPt+slack {
			t.Errorf("word %q spans x %.1f–%.1f pt, want within %.1f–%.1f", w.text, w.xMin, w.xMax, marginPt, widthPt-marginPt)
		}
	}
}

func TestLongActivityTextWraps(t *testing.T) {
	r := newRenderer(t)
	for _, w := range widths[1:] {
		t.Run(w.name, func(t *testing.T) {
			a := sampleActivity()
			a.Title = strings.Repeat("Buurtmaaltijd", 12)
			a.Time = "10:00 – 12:00 en daarna nog 14:00 – 16:00 en 19:30 – 21:30"
			a.Note = "Meer op https://www.example.org/" + strings.Repeat("agenda/", 30)
			pdf, err := r.RenderActivity(a, w.opt)
			if err != nil {
				t.Fatal(err)
			}
			checkOnPaper(t, pdf, w.wantPt, w.margin)
		})
	}
}

func TestClean(t *testing.T) {
	r := newRenderer(t)
	tests := []struct {
		in        string
		multiline bool
		want      string
	}{
		{"Geld & post", false, "Geld & post"},
		{"  veel   ruimte  ", false, "veel ruimte"},
		{"ş ğ ı İ ł ą ę é ë ï ó ö ü €", false, "ş ğ ı İ ł ą ę é ë ï ó ö ü €"},
		{"tab\there", false, "tab here"},
		{"een\ntwee", false, "een twee"},
		{"een \r\n\n\ntwee\n", true, "een\ntwee"},
		{"nul\x00bel\x07esc\x1b", false, "nulbelesc"},
		{"zero\u200bwidth\u202eoverride", false, "zerowidthoverride"},
		{"0800\u00a00113", false, "0800\u00a00113"},
		{"emoji 😀!", false, "emoji \ufffd!"},
		{"gezin 👨\u200d👩\u200d👧 thuis", false, "gezin \ufffd thuis"},
		{"bad \xff byte", false, "bad \ufffd byte"},
		{"bad \xff\xfe\xc3 bytes", false, "bad \ufffd bytes"},
		{"\n\n", true, ""},
		{"ሰላም፣ ኮድኩም", false, "ሰላም፣ ኮድኩም"},           // Ge'ez: DejaVu lacks it, the setter draws it
		{"مرحبا\u200f 12", false, "مرحبا\u200f 12"}, // the marks that order bidi text stay
		{"\u200eK7M\u061c", false, "\u200eK7M\u061c"},
	}
	for _, tt := range tests {
		if got := r.clean(tt.in, tt.multiline); got != tt.want {
			t.Errorf("clean(%q, %v) = %q, want %q", tt.in, tt.multiline, got, tt.want)
		}
	}
}

// TestQuestionHasNoTextField keeps the promise that a lost slip shows
// nothing but a code: there is no field to carry the question's words.
func TestQuestionHasNoTextField(t *testing.T) {
	typ := reflect.TypeOf(Question{})
	for i := range typ.NumField() {
		name := strings.ToLower(typ.Field(i).Name)
		for _, bad := range []string{"text", "question", "body", "message", "name", "phone", "mail"} {
			if strings.Contains(name, bad) {
				t.Errorf("Question has field %s; a slip must not carry the question or personal data", typ.Field(i).Name)
			}
		}
	}
}

// TestConcurrentRenders shows a Renderer can be shared, from its first
// slip on (when it reads its fonts): slips rendered at once equal one
// rendered alone, apart from the creation time.
func TestConcurrentRenders(t *testing.T) {
	r, err := New()
	if err != nil {
		t.Fatal(err)
	}
	stamp := regexp.MustCompile(`/(CreationDate|ModDate) \([^)]*\)`)
	norm := func(b []byte) string { return stamp.ReplaceAllString(string(b), "") }
	alone, err := newRenderer(t).RenderQuestion(sample(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := norm(alone)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for range 8 {
		wg.Go(func() {
			got, err := r.RenderQuestion(sample(), Options{})
			if err == nil && norm(got) != want {
				err = errors.New("concurrent render differs from a render alone")
			}
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
}
