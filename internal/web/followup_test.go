package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"buurtbalie/internal/account"
	"buurtbalie/internal/question"
)

// Seen: a note or message could be saved while the status stayed "Nieuw".
// Writing on a new question claims it, and the page says so where it
// lands.
func TestWritingClaims(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	q := e.ask("Ik snap deze brief niet", question.ComeBack)
	c := e.volunteer()
	path := "/s/" + q.Token
	r := c.get(path + "?step=message")
	if !strings.Contains(r.body, "Als u dit opslaat, pakt u de vraag daarmee op.") {
		t.Errorf("the message form on a new question does not say saving claims it")
	}
	r = c.post(path, url.Values{"do": {"message"}, "text": {"Kom donderdag om 13 uur."}})
	if r.status != http.StatusSeeOther || r.location() != path+"?done=message&claimed=1#done" {
		t.Fatalf("message: status %d to %q", r.status, r.location())
	}
	r = c.get(r.location())
	for _, want := range []string{"Het bericht is opgeslagen.", "U heeft de vraag daarmee ook opgepakt.", "U heeft dit opgepakt", "Opgepakt</span>"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after the message the page lacks %q", want)
		}
	}
	section, done := strings.Index(r.body, `id="current-message"`), strings.Index(r.body, `id="done"`)
	if section < 0 || done < section || done > strings.Index(r.body, "Bericht dat de bezoeker nu leest") {
		t.Errorf("the confirmation is not beside the message it saved")
	}
}

// Seen: Kees took over Piet's question without any warning. Claiming a
// colleague's question asks first, also when the colleague claimed it
// after the page was loaded, and the takeover is in the history and the
// audit log.
func TestTakeOverAsksFirst(t *testing.T) {
	t.Parallel()
	e := newEnv(t)
	ctx := context.Background()
	for _, name := range []string{"Piet", "Kees"} {
		if _, err := e.as.CreateUser(ctx, name, account.Volunteer, password); err != nil {
			t.Fatal(err)
		}
	}
	q := e.ask("Vraag", question.Waiting)
	path := "/s/" + q.Token
	piet, kees := e.client(), e.client()
	piet.login("Piet", password)
	kees.login("Kees", password)

	// Kees loads the page while nobody holds it; Piet claims it; then
	// Kees taps "Ik pak dit op".
	if r := kees.get(path); !strings.Contains(r.body, "Ik pak dit op") {
		t.Fatal("no claim button on a new question")
	}
	wantStatus(t, "Piet claims", piet.post(path, url.Values{"do": {"claim"}}), http.StatusSeeOther)
	r := kees.post(path, url.Values{"do": {"claim"}})
	wantStatus(t, "Kees claims it a moment later", r, http.StatusConflict)
	if !strings.Contains(r.body, "Piet heeft dit net opgepakt. Toch overnemen?") || !strings.Contains(r.body, `name="takeover" value="yes"`) {
		t.Errorf("the refused claim does not ask to take over:\n%s", r.body)
	}
	// Later, on the page: Piet's claim is visible, and taking over asks.
	r = kees.get(path)
	if !strings.Contains(r.body, "Opgepakt door Piet") || !strings.Contains(r.body, "?step=takeover") || strings.Contains(r.body, "Ik pak dit op") {
		t.Errorf("Kees's page does not show Piet's claim with a way to take it over")
	}
	if r := kees.get(path + "?step=takeover"); !strings.Contains(r.body, "Piet heeft dit opgepakt. Toch overnemen?") {
		t.Errorf("the takeover step does not ask")
	}
	r = kees.post(path, url.Values{"do": {"claim"}, "takeover": {"yes"}})
	if r.status != http.StatusSeeOther || r.location() != path+"?done=takeover#done" {
		t.Fatalf("the confirmed takeover: status %d to %q", r.status, r.location())
	}
	r = kees.get(r.location())
	for _, want := range []string{"U heeft deze vraag overgenomen.", "nam de vraag over van Piet", "U heeft dit opgepakt"} {
		if !strings.Contains(r.body, want) {
			t.Errorf("after the takeover the page lacks %q", want)
		}
	}
	log, err := e.as.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, en := range log {
		if en.Action == question.ActionTakenOver && en.Actor == "Kees" && en.Detail == "Piet" && en.QuestionID == q.ID {
			found = true
		}
	}
	if !found {
		t.Errorf("the audit log has no takeover by Kees from Piet: %+v", log)
	}
	// Piet sees that Kees has it now.
	if r := piet.get(path); !strings.Contains(r.body, "Opgepakt door Kees") {
		t.Errorf("Piet's page does not show that Kees took it over")
	}
}
