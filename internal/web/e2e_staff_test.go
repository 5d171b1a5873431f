package web_test

import (
	"context"
	"fmt"
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
// (Fyne's test driver on the same database) shows it cancelled.
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
	b.Get(t, e.srv.URL+"/login?next=/programme/new")
	b.Type(t, "#name", "Fatima")
	b.Type(t, "#password", e2ePassword)
	b.Click(t, "form button[type=submit]")
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
	if !strings.Contains(shown(), "Schaakclub voor iedereen") || !strings.Contains(shown(), "Vervalt vandaag") {
		t.Errorf("the kiosk does not show the activity cancelled today:\n%s", shown())
	}
}
