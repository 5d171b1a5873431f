package web_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/house"
	"buurtbalie/internal/web/webdriver"
)

// A staff member, in a real headless Chromium as narrow as a phone, fills
// in the volunteers' week and a closure on the settings page; the house
// then knows when volunteers are in. The week fits the screen: a form
// that needs scrolling sideways hides its second period.
func TestHoursEndToEndInChromium(t *testing.T) {
	e := newEndToEnd(t, "Fatima", account.Staff, nil)
	b := webdriver.Start(t)
	e.logIn(t, b, "Fatima", "/settings")
	b.WaitFind(t, "#hours")

	b.Run(t, `const wide = document.documentElement.scrollWidth > document.documentElement.clientWidth;
		const p = document.createElement("p"); p.id = "overflow"; p.textContent = wide ? "wide" : "fits";
		document.body.appendChild(p);`)
	if got := b.Text(t, "#overflow"); got != "fits" {
		t.Errorf("the settings page is wider than the screen (%s)", got)
	}
	// A house that never gave hours shows no day closed: staff say so.
	b.Click(t, "#closed-6")
	b.Click(t, "#closed-0")
	b.Run(t, `const set = (name, value) => { document.querySelector("[name='" + name + "']").value = value; };
		for (const d of ["1", "2", "3", "4", "5"]) {
			document.getElementById("closed-" + d).checked = false;
			set("from-" + d + "-1", "9:30"); set("to-" + d + "-1", "16:00");
		}
		set("closure-from-0", "2026-12-24"); set("closure-to-0", "2027-01-01"); set("closure-reason-0", "Kerst");`)
	b.Run(t, `document.getElementById("hours").scrollIntoView();`)
	if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
		b.Screenshot(t, filepath.Join(dir, "6-hours.png"))
	}
	b.Run(t, `document.getElementById("hours").requestSubmit();`)
	b.WaitText(t, ".notice", "De tijden zijn opgeslagen")

	h, err := e.house.House(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	v := h.Volunteers
	thursday := time.Date(2026, 12, 3, 10, 0, 0, 0, e.loc)
	christmas := time.Date(2026, 12, 24, 10, 0, 0, 0, e.loc)
	if v.Origin != house.OriginForm || !v.InAt(thursday) || v.InAt(christmas) || len(v.Week[time.Saturday]) != 0 {
		t.Errorf("after saving, the volunteers are %+v", v)
	}
}
