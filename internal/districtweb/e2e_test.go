package districtweb_test

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/internal/web/webdriver"
)

// A member of the district's staff logs in with a real headless
// Chromium as narrow as a phone, and opens the houses and the figures:
// they show, no wider than the screen. BUURTBALIE_DISTRICT_SHOTS names
// a folder for screenshots.
func TestPagesInChromium(t *testing.T) {
	s := newSite(t)
	api := s.staff(t) // adds Fatima, and the houses through the pages
	linde := s.join(t, s.enrolmentCode(t, api.post(t, "/houses", url.Values{"name": {"Buurthuis De Linde"}})))
	s.enrolmentCode(t, api.post(t, "/houses", url.Values{"name": {"Huis van de Wijk Osdorp"}}))
	if status, prob := s.push(t, linde, append(questions("2026-02-10", "geld", 7), questions("2026-03-01", "wonen", 6)...)); status != 200 {
		t.Fatalf("push: %d %s", status, prob.Message)
	}
	shots := os.Getenv("BUURTBALIE_DISTRICT_SHOTS")
	shot := func(b *webdriver.Browser, name string) {
		if shots != "" {
			b.Screenshot(t, filepath.Join(shots, name+".png"))
		}
	}
	fits := func(b *webdriver.Browser, page string) {
		t.Helper()
		b.Run(t, `const wide = document.documentElement.scrollWidth > document.documentElement.clientWidth;
			const p = document.createElement("p"); p.id = "overflow"; p.textContent = wide ? "wide" : "fits";
			document.body.appendChild(p);`)
		if got := b.Text(t, "#overflow"); got != "fits" {
			t.Errorf("%s is wider than the phone (%s)", page, got)
		}
	}

	b := webdriver.Start(t)
	b.Resize(t, 390, 844)
	b.Get(t, s.srv.URL+"/houses")
	b.WaitFind(t, "#password")
	b.Type(t, "#name", "Fatima")
	b.Type(t, "#password", staffPassword)
	b.Click(t, "form button[type=submit]")
	b.WaitText(t, "h1", "Huizen van de wijk")
	if got := b.Text(t, "ul.houses"); !strings.Contains(got, "Buurthuis De Linde") || !strings.Contains(got, "1 kiosk") || !strings.Contains(got, "Laatste bericht") {
		t.Errorf("the houses read %q", got)
	}
	fits(b, "/houses")
	shot(b, "houses")

	b.Get(t, s.srv.URL+"/figures?from=2026-01-01&to=2026-03-02&per=month")
	b.WaitFind(t, "figure.chart svg")
	if got := b.Text(t, "dl.headline"); !strings.Contains(got, "13") {
		t.Errorf("the district's headline reads %q, want its 13 questions", got)
	}
	fits(b, "/figures")
	shot(b, "figures")
	b.Run(t, `document.querySelector("figure.chart").scrollIntoView();`)
	shot(b, "figures-charts")
	// Choose one house, as staff do: the form keeps the choice.
	b.Run(t, `const s = document.querySelector("#f-house");
		s.value = [...s.options].find(o => o.text === "Huis van de Wijk Osdorp").value;
		s.form.submit();`)
	b.WaitURL(t, func(u string) bool { return strings.Contains(u, "house=") && !strings.Contains(u, "house=all") })
	b.WaitFind(t, "#f-house")
	if got := b.Text(t, "#f-house option:checked"); got != "Huis van de Wijk Osdorp" {
		t.Errorf("the chosen house reads %q", got)
	}
	shot(b, "figures-osdorp")

	b.Get(t, s.srv.URL+"/partners/new")
	b.WaitFind(t, "#p-name")
	b.Type(t, "#p-name", "Schuldhulp West")
	b.Type(t, "#p-contact", "020 123 4567")
	b.Click(t, "#partner button[type=submit]")
	b.WaitFind(t, "p.error")
	if got := b.Text(t, "p.error"); !strings.Contains(got, "zeg waarmee ze helpen") {
		t.Errorf("the refused partner reads %q", got)
	}
	fits(b, "/partners")
	shot(b, "partner-refused")

	b.Get(t, s.srv.URL+"/houses")
	b.WaitFind(t, "ul.houses form button")
	b.Click(t, "ul.houses form button")
	b.WaitFind(t, "#command")
	if got := b.Text(t, "#command"); !strings.HasPrefix(got, "buurtbalie district join "+s.srv.URL+" ") {
		t.Errorf("the command reads %q", got)
	}
	fits(b, "the code page")
	shot(b, "code")
}
