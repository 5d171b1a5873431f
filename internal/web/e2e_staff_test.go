package web_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/web/webdriver"
)

// A staff member, in a real headless Chromium, logs in, adds a weekly
// activity on today's weekday and cancels today's instance; the kiosk
// (Fyne's test driver on the same database) shows it cancelled. Then they
// rename the house on the settings page, and the kiosk shows the name.
func TestStaffEndToEndInChromium(t *testing.T) {
	// The demo's categories, without its activities, so the only
	// cancellation today is the one this test makes.
	e := newEndToEnd(t, "Fatima", account.Staff, func(prog *sqlite.ProgrammeService) {
		ctx := context.Background()
		if _, err := prog.SeedDemo(ctx, programme.DateOf(time.Now())); err != nil {
			t.Fatal(err)
		}
		if _, err := prog.RemoveDemo(ctx); err != nil {
			t.Fatal(err)
		}
	})

	b := webdriver.Start(t)
	e.logIn(t, b, "Fatima", "/programme/new")
	b.WaitFind(t, "#a-title") // logged in, on the new activity form

	now := time.Now().In(e.loc)
	b.Type(t, "#a-title", "Schaakclub voor iedereen")
	b.Type(t, "#a-room", "Zaal 2")
	b.Click(t, `input[name=kind][value=weekly]`)
	b.Click(t, fmt.Sprintf(`input[name=weekdays][value="%d"]`, int(now.Weekday())))
	// A time field types as the browser's locale wants; set it directly.
	b.Run(t, `document.getElementById("a-start").value = "23:00"; document.getElementById("a-end").value = "23:59";
		document.getElementById("a-category").value = "ontmoeten";`)
	b.Run(t, `document.getElementById("a-title").form.requestSubmit();`)
	b.WaitURL(t, func(u string) bool { return !strings.HasSuffix(u, "/programme/new") })
	b.Get(t, e.srv.URL+"/programme")
	b.WaitText(t, "li.today", "Schaakclub voor iedereen")
	// Cancel today's instance with the one-tap form on its row.
	b.Run(t, `for (const li of document.querySelectorAll("li.today li.occ")) {
		if (li.textContent.includes("Schaakclub")) { li.querySelector("form button").click(); }
	}`)
	b.WaitText(t, "li.today li.occ-cancelled", "Schaakclub voor iedereen")

	// The kiosk on the same database shows it cancelled.
	k, shown := e.kiosk(t, now)
	k.ShowToday()
	if !strings.Contains(shown(), "Schaakclub voor iedereen") || !strings.Contains(shown(), "Gaat vandaag niet door") {
		t.Errorf("the kiosk does not show the activity cancelled today:\n%s", shown())
	}

	// The house gets another name and hours on the settings page.
	b.Get(t, e.srv.URL+"/settings")
	b.WaitFind(t, "#h-name")
	b.Run(t, `document.getElementById("h-name").value = "";`)
	b.Type(t, "#h-name", "Huis van de Wijk De Eik")
	b.Run(t, `document.getElementById("h-hours").value = "Woensdag 13:00 – 16:00";
		document.getElementById("h-name").form.requestSubmit();`)
	b.WaitText(t, ".notice", "Opgeslagen")
	if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
		b.Screenshot(t, filepath.Join(dir, "5-settings.png"))
	}
	h, err := e.house.House(context.Background())
	if err != nil || h.Name != "Huis van de Wijk De Eik" || strings.Join(h.Hours, "|") != "Woensdag 13:00 – 16:00" {
		t.Errorf("after saving the settings page the house is %+v, %v", h, err)
	}
	// The kiosk shows the new name once it sees the database changed.
	k.Reset()
	k.Reload()
	if !strings.Contains(shown(), "Huis van de Wijk De Eik") {
		t.Errorf("the kiosk does not show the house's new name:\n%s", shown())
	}
}
