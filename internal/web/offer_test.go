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
