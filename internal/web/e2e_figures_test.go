package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/question"
	"buurtbalie/internal/web/webdriver"
)

// Staff open /figures in a real headless Chromium as narrow as a phone:
// the charts and tables show, no wider than the screen, and the CSV
// link gives Excel's byte order mark and the counts.
func TestFiguresInChromium(t *testing.T) {
	e := newEndToEnd(t, "Fatima", account.Staff, nil)
	ctx := context.Background()
	for i := 0; i < 30; i++ {
		topic, lang := "geld", "nl"
		if i%3 == 0 {
			topic, lang = "wonen", "ar"
		}
		q := question.Question{Topic: topic, Lang: lang, FollowUp: question.ComeBack, Text: "een vraag"}
		if err := e.questions.Create(ctx, &q); err != nil {
			t.Fatal(err)
		}
	}
	day := time.Now().In(e.loc).Format("2006-01-02")
	b := webdriver.Start(t)
	e.logIn(t, b, "Fatima", "/figures?from="+day+"&to="+day+"&per=week")
	b.WaitFind(t, "figure.chart svg")
	if got := b.Text(t, "dl.headline"); !strings.Contains(got, "30") {
		t.Errorf("headline reads %q", got)
	}
	b.Run(t, `const wide = document.documentElement.scrollWidth > document.documentElement.clientWidth;
		const p = document.createElement("p"); p.id = "overflow"; p.textContent = wide ? "wide" : "fits";
		document.body.appendChild(p);`)
	if got := b.Text(t, "#overflow"); got != "fits" {
		t.Errorf("the figures page is wider than the phone (%s)", got)
	}
	if dir := os.Getenv("BUURTBALIE_WEB_SHOTS"); dir != "" {
		b.Screenshot(t, filepath.Join(dir, "figures.png"))
		b.Run(t, `document.querySelector("figure.chart").scrollIntoView();`)
		b.Screenshot(t, filepath.Join(dir, "figures-charts.png"))
	}
	if got := b.Text(t, "#f-per"); !strings.Contains(got, "week") {
		t.Errorf("the period asked for is not kept: %q", got)
	}
	// text() would drop the byte order mark: read the bytes.
	b.Run(t, `fetch(document.querySelector("section.figures a").href).then(r => r.arrayBuffer()).then(buf => {
		const b = new Uint8Array(buf);
		const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
		const text = new TextDecoder().decode(b);
		const p = document.createElement("p"); p.id = "csv"; p.textContent = (bom ? "BOM " : "no BOM ") + text.split("\r\n")[1];
		document.body.appendChild(p); });`)
	b.WaitFind(t, "#csv")
	if got := b.Text(t, "#csv"); got != "BOM Geld & post,20,20" {
		t.Errorf("the CSV download reads %q", got)
	}
	// The Jaarverslag: a PDF download, as the browser gets it.
	b.Run(t, `fetch(document.querySelector("p.actions a").href).then(async r => {
		const b = new Uint8Array(await r.arrayBuffer());
		const p = document.createElement("p"); p.id = "pdf";
		p.textContent = r.headers.get("Content-Type") + " " + (r.headers.get("Content-Disposition") || "inline") + " " +
			String.fromCharCode(...b.slice(0, 5)) + " " + b.length;
		document.body.appendChild(p); });`)
	b.WaitFind(t, "#pdf")
	got := strings.Fields(b.Text(t, "#pdf"))
	if len(got) < 5 || got[0] != "application/pdf" || got[1] != "attachment;" || !strings.HasSuffix(got[2], `.pdf"`) || got[3] != "%PDF-" {
		t.Errorf("the Jaarverslag link gives %q, want a PDF attachment", got)
	}
}
