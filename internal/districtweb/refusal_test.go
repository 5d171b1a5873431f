package districtweb

import (
	"strings"
	"testing"

	"buurtbalie/internal/district"
)

// Every refusal of Partner.Check reads in Dutch on a Dutch page: a
// change to Check's words shows here, not as English on the page.
func TestRefusalOfEveryCheck(t *testing.T) {
	cat, err := Catalogue()
	if err != nil {
		t.Fatal(err)
	}
	ok := district.Partner{Name: "Schuldhulp West", HelpsWith: "Hulp bij schulden", Contact: "020 123 4567"}
	for _, c := range []struct {
		name   string
		change func(p *district.Partner)
		want   string
	}{
		{"no name", func(p *district.Partner) { p.Name = " " }, "de naam ontbreekt"},
		{"two lines", func(p *district.Partner) { p.Name = "Schuld\nhulp" }, "de naam moet op één regel staan"},
		{"long name", func(p *district.Partner) { p.Name = strings.Repeat("x", district.MaxPartnerName+1) }, "de naam is 121 tekens; hooguit 120"},
		{"long contact", func(p *district.Partner) { p.Contact = strings.Repeat("x", district.MaxPartnerText+1) }, "het contact is 501 tekens; hooguit 500"},
		{"not text", func(p *district.Partner) { p.Hours = "di\x00" }, "het spreekuur is geen gewone tekst"},
		{"helps with nothing", func(p *district.Partner) { p.HelpsWith = "" }, "zeg waarmee ze helpen"},
		{"no way to reach", func(p *district.Partner) { p.Contact = "" }, "geef een spreekuur of een contact"},
		{"a language name", func(p *district.Partner) { p.Languages = []string{"Turks"} }, "taal Turks: geef talen als codes"},
	} {
		t.Run(c.name, func(t *testing.T) {
			p := ok
			c.change(&p)
			err := p.Check()
			if err == nil {
				t.Fatal("Check took it")
			}
			if got := refusal(cat.For("nl"), err); !strings.HasPrefix(got, c.want) {
				t.Errorf("got %q, want it to start %q (Check said %q)", got, c.want, err)
			}
			if got := refusal(cat.For("en"), err); got != err.Error() {
				t.Errorf("in English: got %q, want Check's own %q", got, err)
			}
		})
	}
}
