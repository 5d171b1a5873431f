package webdriver_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"buurtbalie/internal/web/webdriver"
)

// The driver types into a form, submits it and reads the answer, in a
// real headless Chromium.
func TestFormRoundTrip(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost {
			fmt.Fprintf(w, `<!doctype html><h1 id="out">Hallo %s</h1>`, r.FormValue("name"))
			return
		}
		fmt.Fprint(w, `<!doctype html><form method="post"><input name="name"><button type="submit">Stuur</button></form>`)
	}))
	defer srv.Close()
	b := webdriver.Start(t)
	b.Get(t, srv.URL)
	b.Type(t, "input[name=name]", "Ans")
	b.Click(t, "button[type=submit]")
	b.WaitText(t, "#out", "Hallo Ans")
}
