package slip

import (
	"image"
	"image/draw"
	"image/png"
	"os"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// samples are question slips as the kiosk prints them in each language:
// the visitor's lines in their language, what happens next in Dutch
// below. The texts are the slip's messages as translated for the kiosk.
var samples = map[string]Question{
	"nl": sample(),
	"en": {
		Lang: "en", House: "Buurthuis De Linde", When: "Monday 23 November 2026, 10:45", Topic: "Money & post",
		CodeLabel: "Your code", Code: "K7M-4QX", URL: testURL, ScanHint: "A volunteer scans this code with a phone.",
		Next:       []string{"Please wait near the entrance. A volunteer will come to you.", "You do not have to give your name."},
		HoursLabel: "Volunteers are here:", Hours: []string{"Monday to Friday 9:30 – 16:00"},
		EmergencyLabel: "Emergency?", Emergency: []string{"112 bij levensgevaar", "113 Zelfmoordpreventie: 0800-0113"},
	},
	"tr": {
		Lang: "tr", House: "Buurthuis De Linde", When: "Pazartesi 23 Kasım 2026, 10:45", Topic: "Para ve posta",
		CodeLabel: "Kodunuz", Code: "K7M-4QX", URL: testURL, ScanHint: "Bir gönüllü bu kodu telefonla okutur.",
		Next:       []string{"Lütfen girişte biraz bekleyin. Bir gönüllü size gelecek.", "Adınızı söylemeniz gerekmez. İğne, ışık, çöp, üzüm."},
		HoursLabel: "Gönüllüler burada:", Hours: []string{"Pazartesi – Cuma 9:30 – 16:00"},
		EmergencyLabel: "Acil durum mu?", Emergency: []string{"112 bij levensgevaar", "113 Zelfmoordpreventie: 0800-0113"},
	},
	"ar": {
		Lang: "ar", House: "Buurthuis De Linde", When: "الاثنين 23 نوفمبر 2026، 10:45", Topic: "المال والبريد",
		CodeLabel: "رمزك", Code: "K7M-4QX", URL: testURL, ScanHint: "يمسح متطوع هذا الرمز بالهاتف.",
		Next:       []string{"ابقَ قرب المدخل قليلاً. سيأتي إليك متطوع.", "لا يوجد متطوع الآن. عُد غداً من 9:30، واعرض الرمز K7M-4QX.", "لا تحتاج إلى ذكر اسمك."},
		HoursLabel: "المتطوعون موجودون:", Hours: []string{"من الاثنين إلى الجمعة 9:30 – 16:00"},
		EmergencyLabel: "حالة طارئة؟", Emergency: []string{"112 bij levensgevaar", "113 Zelfmoordpreventie: 0800-0113"},
	},
	"pl": {
		Lang: "pl", House: "Buurthuis De Linde", When: "poniedziałek 23 listopada 2026, 10:45", Topic: "Pieniądze i poczta",
		CodeLabel: "Twój kod", Code: "K7M-4QX", URL: testURL, ScanHint: "Wolontariusz zeskanuje ten kod telefonem.",
		Next:       []string{"Proszę zaczekać przy wejściu. Wolontariusz do Pana/Pani podejdzie.", "Nie trzeba podawać imienia. Zażółć gęślą jaźń."},
		HoursLabel: "Wolontariusze są:", Hours: []string{"Od poniedziałku do piątku 9:30 – 16:00"},
		EmergencyLabel: "Nagły wypadek?", Emergency: []string{"112 bij levensgevaar", "113 Zelfmoordpreventie: 0800-0113"},
	},
	"uk": {
		Lang: "uk", House: "Buurthuis De Linde", When: "понеділок 23 листопада 2026, 10:45", Topic: "Гроші та пошта",
		CodeLabel: "Ваш код", Code: "K7M-4QX", URL: testURL, ScanHint: "Волонтер сканує цей код телефоном.",
		Next:       []string{"Будь ласка, зачекайте біля входу. Волонтер підійде до вас.", "Вам не потрібно називати своє ім’я. Її ґанок є."},
		HoursLabel: "Волонтери тут:", Hours: []string{"З понеділка по п’ятницю 9:30 – 16:00"},
		EmergencyLabel: "Терміново?", Emergency: []string{"112 bij levensgevaar", "113 Zelfmoordpreventie: 0800-0113"},
	},
	"ti": {
		Lang: "ti", House: "Buurthuis De Linde", When: "ሰኑይ 23 ሕዳር 2026፣ 10:45", Topic: "ገንዘብን ፖስታን",
		CodeLabel: "ኮድኩም", Code: "K7M-4QX", URL: testURL, ScanHint: "ወለንተኛ ነዚ ኮድ ብተሌፎን ይስካኖ።",
		Next:       []string{"ኣብ መእተዊ ቁሩብ ተጸበዩ። ወለንተኛ ናባኹም ክመጽእ እዩ።", "ስምኩም ክትህቡ ኣየድልየኩምን።"},
		HoursLabel: "ወለንተኛታት ዝርከቡሉ፦", Hours: []string{"ሰኑይ ክሳብ ዓርቢ 9:30 – 16:00"},
		EmergencyLabel: "ህጹጽ?", Emergency: []string{"112 bij levensgevaar", "113 Zelfmoordpreventie: 0800-0113"},
	},
}

func init() {
	dutch := []string{"Blijf even bij de ingang. Een vrijwilliger komt naar u toe.", "U hoeft uw naam niet te geven."}
	for lang, q := range samples {
		if lang != "nl" {
			q.NextDutch = dutch
			samples[lang] = q
		}
	}
}

// langs are the kiosk's seven languages.
var langs = []string{"nl", "en", "tr", "ar", "pl", "uk", "ti"}

// TestLanguagesQRDecodes checks, for every language on both papers, that
// the QR code still reads at the resolutions a scanner or a phone may
// see it at, however the lines around it are drawn.
func TestLanguagesQRDecodes(t *testing.T) {
	r := newRenderer(t)
	for _, lang := range langs {
		for _, w := range widths[1:] {
			pdf, err := r.RenderQuestion(samples[lang], w.opt)
			if err != nil {
				t.Fatalf("%s %s: %v", lang, w.name, err)
			}
			for _, dpi := range []int{100, 200, 300} {
				t.Run(lang+"/"+w.name+"/"+strconv.Itoa(dpi)+"dpi", func(t *testing.T) {
					if got, want := decodeQR(t, pdf, dpi), testURL+"\n"; got != want {
						t.Errorf("QR holds %q, want %q", got, want)
					}
				})
			}
		}
	}
}

// TestLanguagesTextExtracts checks what stays PDF text in every
// language: the code, the Dutch below and the house's lines; and, in the
// languages DejaVu Sans draws, the visitor's own lines with their
// letters. Arabic and Ge'ez lines are images: no unshaped Arabic or
// Ge'ez may leak into the text.
func TestLanguagesTextExtracts(t *testing.T) {
	r := newRenderer(t)
	for _, lang := range langs {
		for _, w := range widths[1:] {
			t.Run(lang+"/"+w.name, func(t *testing.T) {
				q := samples[lang]
				pdf, err := r.RenderQuestion(q, w.opt)
				if err != nil {
					t.Fatal(err)
				}
				text := strings.Join(strings.Fields(pdfText(t, pdf)), " ")
				wants := []string{q.House, q.Code}
				wants = append(wants, q.NextDutch...)
				wants = append(wants, q.Emergency...)
				if lang != "ar" && lang != "ti" {
					wants = append(wants, q.Topic, q.CodeLabel, q.HoursLabel, q.EmergencyLabel)
					wants = append(wants, q.Next...)
				}
				for _, want := range wants {
					if !strings.Contains(text, want) {
						t.Errorf("pdftotext lacks %q; got:\n%s", want, text)
					}
				}
				for _, c := range text {
					if unicode.In(c, unicode.Arabic, unicode.Ethiopic) {
						t.Fatalf("pdftotext finds %q: a line went out as unshaped text:\n%s", c, text)
					}
				}
			})
		}
	}
}

// image is one image pdfimages lists.
type pdfImage struct {
	kind       string // image or smask
	w, h       int    // pixels
	xPPI, yPPI int
}

func images(t *testing.T, pdf []byte) []pdfImage {
	t.Helper()
	var out []pdfImage
	for _, line := range strings.Split(run(t, "pdfimages", "-list", writePDF(t, pdf)), "\n")[2:] {
		f := strings.Fields(line)
		if len(f) < 14 {
			continue
		}
		n := func(s string) int {
			v, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("pdfimages -list: %q in %q", s, line)
			}
			return v
		}
		out = append(out, pdfImage{kind: f[2], w: n(f[3]), h: n(f[4]), xPPI: n(f[12]), yPPI: n(f[13])})
	}
	return out
}

// TestSetLinesAreImages checks that every Arabic and Ge'ez line is on the
// slip as an image of at least 300 dpi (black, and a mask of where the
// ink is), and that slips in the other languages have none.
func TestSetLinesAreImages(t *testing.T) {
	r := newRenderer(t)
	for _, lang := range langs {
		t.Run(lang, func(t *testing.T) {
			q := samples[lang]
			pdf, err := r.RenderQuestion(q, Options{})
			if err != nil {
				t.Fatal(err)
			}
			imgs := images(t, pdf)
			var lines int
			for _, im := range imgs {
				if im.xPPI < 300 || im.yPPI < 300 {
					t.Errorf("%s %dx%d px at %dx%d ppi, want at least 300", im.kind, im.w, im.h, im.xPPI, im.yPPI)
				}
				if im.kind == "image" {
					lines++
				}
			}
			// When, topic, code label, scan hint, what happens next,
			// the hours' label and lines, the emergency label.
			want := 0
			if lang == "ar" || lang == "ti" {
				want = 6 + len(q.Next) + len(q.Hours)
			}
			if lines < want || (want == 0 && lines > 0) {
				t.Errorf("%d line images, want %d or more (a paragraph may wrap)", lines, want)
			}
			if len(imgs) != 2*lines {
				t.Errorf("%d images with %d lines, want an ink mask with each", len(imgs), lines)
			}
		})
	}
}

// inkBand is a stretch of rows of a rendered slip with ink in them, and
// how far the ink reaches left and right, all in mm.
type inkBand struct{ top, bottom, left, right float64 }

// bands rasterises pdf at dpi and returns its bands of ink, top to
// bottom; gaps of white narrower than 0.4 mm (the dots under an Arabic
// letter) do not split a band.
func bands(t *testing.T, pdf []byte, dpi int) []inkBand {
	t.Helper()
	img := rasterise(t, pdf, dpi)
	mm := 25.4 / float64(dpi)
	b := img.Bounds()
	var out []inkBand
	lastInk := -1000
	for y := b.Min.Y; y < b.Max.Y; y++ {
		left, right := -1, -1
		for x := b.Min.X; x < b.Max.X; x++ {
			if img.GrayAt(x, y).Y < 128 {
				if left < 0 {
					left = x
				}
				right = x
			}
		}
		if left < 0 {
			continue
		}
		if float64(y-lastInk)*mm > 0.4 || len(out) == 0 {
			out = append(out, inkBand{top: float64(y) * mm, left: 1e9})
		}
		band := &out[len(out)-1]
		band.bottom = float64(y+1) * mm
		band.left = min(band.left, float64(left)*mm)
		band.right = max(band.right, float64(right+1)*mm)
		lastInk = y
	}
	return out
}

// rasterise renders pdf in grey with pdftoppm.
func rasterise(t *testing.T, pdf []byte, dpi int) *image.Gray {
	t.Helper()
	in := writePDF(t, pdf)
	out := strings.TrimSuffix(in, ".pdf")
	run(t, "pdftoppm", "-r", strconv.Itoa(dpi), "-gray", "-png", "-singlefile", in, out)
	f, err := os.Open(out + ".png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	gray := image.NewGray(img.Bounds())
	draw.Draw(gray, gray.Bounds(), img, img.Bounds().Min, draw.Src)
	return gray
}

// TestLineSides checks which side lines start on: an Arabic paragraph on
// the right margin, the Dutch under it on the left, Tigrinya on the left.
func TestLineSides(t *testing.T) {
	r := newRenderer(t)
	for _, tt := range []struct {
		lang, next   string
		rightAligned bool
	}{
		{"ar", "لا تحتاج إلى ذكر اسمك.", true},
		{"ar", "رمزك: K7M-4QX.", true},
		{"ar", "Spoed? Bel 112.", true}, // untranslated Dutch in an Arabic slip: still its side
		{"ti", "ስምኩም ክትህቡ ኣየድልየኩምን።", false},
		{"uk", "Не потрібно називати ім’я.", false},
	} {
		for _, w := range widths[1:] {
			t.Run(tt.lang+"/"+w.name+"/"+tt.next, func(t *testing.T) {
				q := Question{Lang: tt.lang, Code: "K7M-4QX", URL: testURL, Next: []string{tt.next}, NextDutch: []string{"Ga even zitten."}}
				pdf, err := r.RenderQuestion(q, w.opt)
				if err != nil {
					t.Fatal(err)
				}
				bs := bands(t, pdf, 300)
				if len(bs) < 4 {
					t.Fatalf("%d bands of ink, want code, QR, rule, line, Dutch", len(bs))
				}
				line, dutch := bs[len(bs)-2], bs[len(bs)-1]
				margin, width := w.margin*ptMM, w.wantPt*ptMM
				const slack = 0.8 // mm: glyphs sit a little inside their advance
				if tt.rightAligned {
					if line.right < width-margin-slack || line.right > width-margin+slack/2 || line.left < margin+2 {
						t.Errorf("line spans %.1f–%.1f mm, want it against the right margin at %.1f", line.left, line.right, width-margin)
					}
				} else if line.left > margin+slack || line.left < margin-slack/2 || line.right > width-margin-2 {
					t.Errorf("line spans %.1f–%.1f mm, want it against the left margin at %.1f", line.left, line.right, margin)
				}
				if dutch.left > margin+slack || dutch.left < margin-slack/2 {
					t.Errorf("Dutch line spans %.1f–%.1f mm, want it against the left margin at %.1f", dutch.left, dutch.right, margin)
				}
			})
		}
	}
}

// checkInkInside fails when any ink of pdf lies in the side margins.
func checkInkInside(t *testing.T, pdf []byte, widthPt, marginPt float64) {
	t.Helper()
	const slack = 0.3 // mm
	for _, b := range bands(t, pdf, 100) {
		if b.left < marginPt*ptMM-slack || b.right > (widthPt-marginPt)*ptMM+slack {
			t.Errorf("ink at %.1f–%.1f mm from the top spans %.1f–%.1f mm, want within %.1f–%.1f",
				b.top, b.bottom, b.left, b.right, marginPt*ptMM, (widthPt-marginPt)*ptMM)
		}
	}
}
