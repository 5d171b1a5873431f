package web_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
)

// Staff choose the languages the kiosk offers and their order; the page
// says which translations a native speaker has checked; leaving out the
// language visitors start in is refused with a message, keeping the rest.
func TestSettingsLanguagesOffered(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	page := c.get("/settings")
	wantStatus(t, "GET /settings", page, http.StatusOK)
	if !strings.Contains(page.body, `action="/settings/languages"`) || !strings.Contains(page.body, "Nagekeken door een moedertaalspreker") {
		t.Fatalf("the settings page has no languages form:\n%s", page.body)
	}
	if !strings.Contains(page.body, "Nog niet: laat het lezen") {
		t.Errorf("the page does not say which translations are not checked yet")
	}
	form := url.Values{"offer-nl": {"1"}, "order-nl": {"2"}, "offer-en": {"1"}, "order-en": {"1"}}
	r := c.post("/settings/languages", form)
	wantStatus(t, "POST /settings/languages", r, http.StatusSeeOther)
	h, err := e.house.House(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.Languages, []string{"en", "nl"}) {
		t.Errorf("offered %q, want en then nl", h.Languages)
	}
	log, _ := e.as.AuditLog(context.Background(), 1)
	if len(log) != 1 || log[0].Action != "languages_saved" {
		t.Errorf("audit log starts %+v, want languages_saved", log)
	}

	r = c.post("/settings/languages", url.Values{"offer-en": {"1"}, "order-en": {"1"}})
	wantStatus(t, "POST /settings/languages without Dutch", r, http.StatusUnprocessableEntity)
	if !strings.Contains(r.body, "De taal waarin elke bezoeker begint, moet er ook bij staan.") {
		t.Errorf("refusal does not say why:\n%s", r.body)
	}
	if h, _ := e.house.House(context.Background()); !slices.Equal(h.Languages, []string{"en", "nl"}) {
		t.Errorf("a refused save changed the languages to %q", h.Languages)
	}
}

// Staff choose the languages in which each screen is read aloud by
// itself; a language without a voice offers no such choice.
func TestSettingsReadAloudByItself(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	page := c.get("/settings")
	if !strings.Contains(page.body, `name="read-tr"`) || strings.Contains(page.body, `name="read-ti"`) || !strings.Contains(page.body, "Geen stem voor deze taal") {
		t.Fatalf("the languages table does not offer reading by itself for voiced languages only:\n%s", page.body)
	}
	r := c.post("/settings/languages", url.Values{"offer-nl": {"1"}, "offer-tr": {"1"}, "read-tr": {"1"}, "read-ti": {"1"}})
	wantStatus(t, "POST /settings/languages", r, http.StatusSeeOther)
	h, err := e.house.House(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(h.ReadAloud, []string{"tr"}) {
		t.Errorf("read by itself in %q, want only tr (ti has no voice)", h.ReadAloud)
	}
	if again := c.get("/settings"); !strings.Contains(again.body, `name="read-tr" value="1" checked`) {
		t.Error("the saved choice is not shown ticked")
	}
}

// A house's own emergency lines can be given per language on the house
// form; they are stored, and shown again.
func TestSettingsEmergencyLinesPerLanguage(t *testing.T) {
	e := newSettingsEnv(t)
	c := e.staff()
	if page := c.get("/settings"); !strings.Contains(page.body, `name="emergency-tr"`) {
		t.Fatalf("the house form has no emergency lines per language:\n%s", page.body)
	}
	f := houseForm("Buurthuis De Linde", "", "112 bij levensgevaar\nHuisarts: 020-1234567", "nl")
	f.Set("emergency-tr", "Hayati tehlike: 112\nAile hekimi: 020-1234567")
	wantStatus(t, "POST /settings/house", c.post("/settings/house", f), http.StatusSeeOther)
	h, err := e.house.House(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := h.EmergencyIn["tr"]; !slices.Equal(got, []string{"Hayati tehlike: 112", "Aile hekimi: 020-1234567"}) {
		t.Errorf("Turkish lines = %q", got)
	}
	if page := c.get("/settings"); !strings.Contains(page.body, "Aile hekimi: 020-1234567") {
		t.Errorf("the form does not show the Turkish lines again")
	}
}
