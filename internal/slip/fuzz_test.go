package slip

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

// fuzzSeeds start FuzzRenderQuestion; TestFuzzSeedsDecode checks that each
// one's QR code reads back, which the fuzz body is too fast to do.
var fuzzSeeds = []struct{ topic, next, url string }{
	{"Geld & post", "Ga even zitten.", testURL},
	{"Wonen", "Sit down for a moment; a volunteer will come to you.", "http://10.0.0.5/s/AAAAAAAAAAAAAAAAAAAAAA"},
	{"Gezondheid & je goed voelen", "Lütfen oturun, ş ğ ı İ", "https://buurthuis.example.nl:8443/s/" + strings.Repeat("Zz9_-", 10)},
	{"Taal & lezen 💬", "Proszę usiąść, ł ą ę €", "http://[fe80::1]:8080/s/3q2-7wEh9kT0aLpXv4nYbQ?x=1&y=%20#frag"},
	{"\x00\x1b[2J", strings.Repeat("woord", 100), "http://192.168.1.20:8080/s/" + strings.Repeat("q", 273)}, // 300 bytes
	{"مرحبا", "e\u0301\u202e\u200b", "http://buurthuis.local/s/caf%C3%A9-%C3%BCn%C3%AFcode"},
	{"", "", "x"},
}

func TestFuzzSeedsDecode(t *testing.T) {
	r := newRenderer(t)
	for _, s := range fuzzSeeds {
		for _, w := range widths[1:] {
			t.Run(w.name, func(t *testing.T) {
				q := sample()
				q.Topic, q.Next, q.URL = s.topic, []string{s.next}, s.url
				pdf, err := r.RenderQuestion(q, w.opt)
				if err != nil {
					t.Fatalf("url %q: %v", s.url, err)
				}
				if got, want := decodeQR(t, pdf, 200), s.url+"\n"; got != want {
					t.Errorf("QR holds %q, want %q", got, want)
				}
			})
		}
	}
}

// FuzzRenderQuestion feeds arbitrary topics, paragraphs and URL bytes to
// RenderQuestion: it must never panic, must refuse only URLs checkURL
// refuses, and must otherwise give a whole PDF. A refused URL is swapped for
// a good one so the texts still go through the layout.
func FuzzRenderQuestion(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s.topic, s.next, []byte(s.url), false)
	}
	r := newRenderer(f)
	f.Fuzz(func(t *testing.T, topic, next string, url []byte, narrow bool) {
		q := sample()
		q.Topic, q.Next, q.URL = topic, []string{next, topic}, string(url)
		q.Code = topic + "K7M-4QX"
		opt := Options{}
		if narrow {
			opt.WidthMM = 58
		}
		pdf, err := r.RenderQuestion(q, opt)
		if urlErr := checkURL(q.URL); urlErr != nil {
			if !errors.Is(err, ErrNoURL) && !errors.Is(err, ErrBadURL) {
				t.Fatalf("url %q: got error %v, want %v", url, err, urlErr)
			}
			// Still put the texts through the layout.
			q.URL = testURL
			pdf, err = r.RenderQuestion(q, opt)
		}
		if err != nil {
			t.Fatalf("topic %q, next %q, url %q: %v", topic, next, url, err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-1.")) || !bytes.HasSuffix(bytes.TrimSpace(pdf), []byte("%%EOF")) {
			t.Fatalf("not a whole PDF: %q … %q", pdf[:min(len(pdf), 16)], pdf[max(0, len(pdf)-16):])
		}
	})
}
