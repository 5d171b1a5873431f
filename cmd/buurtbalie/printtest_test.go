package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
)

// TestPrintTestLang writes the sample slip in every language there are
// messages for, as staff do to see a language's slip without a printer:
// the file is a slip whose QR code reads, with the Dutch under the
// visitor's lines.
func TestPrintTestLang(t *testing.T) {
	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
	if err != nil {
		t.Fatal(err)
	}
	for _, lang := range cat.Languages() {
		t.Run(lang, func(t *testing.T) {
			data := t.TempDir()
			out := filepath.Join(t.TempDir(), "slip-"+lang+".pdf")
			stdout, stderr, err := run(t, data, "print-test", "--data", data, "--lang", lang, "--out", out)
			if err != nil {
				t.Fatalf("print-test --lang %s: %v\n%s", lang, err, stderr)
			}
			if want := "wrote a sample slip in " + cat.Language(lang); !strings.Contains(stdout, want) {
				t.Errorf("print-test says %q, want %q", stdout, want)
			}
			if _, err := os.Stat(out); err != nil {
				t.Fatal(err)
			}
			png := strings.TrimSuffix(out, ".pdf")
			if b, err := exec.Command("pdftoppm", "-r", "200", "-png", "-singlefile", out, png).CombinedOutput(); err != nil {
				t.Fatalf("pdftoppm: %v\n%s", err, b)
			}
			qr, err := exec.Command("zbarimg", "--raw", "-q", png+".png").Output()
			if err != nil || !strings.Contains(string(qr), "/s/") {
				t.Errorf("zbarimg reads %q (%v), want the sample's link", qr, err)
			}
			text, err := exec.Command("pdftotext", "-enc", "UTF-8", out, "-").Output()
			if err != nil {
				t.Fatal(err)
			}
			flat := strings.Join(strings.Fields(string(text)), " ")
			dutch := cat.For("nl").T("slip.next.anonymous")
			if !strings.Contains(flat, "K7M-4QX") || !strings.Contains(flat, dutch) {
				t.Errorf("the slip lacks the code or the Dutch %q:\n%s", dutch, flat)
			}
			if lang != "nl" && lang != "ar" && lang != "ti" {
				if own := cat.For(lang).T("slip.next.anonymous"); !strings.Contains(flat, own) {
					t.Errorf("the %s slip lacks %q:\n%s", lang, own, flat)
				}
			}
		})
	}
}
