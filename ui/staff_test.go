package ui

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/printer/cupstest"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

const staffPINForTest = "482916"

// withStaff restarts the fixture's kiosk with a staff mode: the PIN in
// the fixture's database and its programme service for changes.
func withStaff(t *testing.T, f *kioskFixture) (quit *bool) {
	t.Helper()
	as := sqlite.NewAccountService(f.db)
	if err := as.SetKioskPIN(context.Background(), staffPINForTest); err != nil {
		t.Fatal(err)
	}
	quit = new(bool)
	opt := f.k.opt
	opt.StaffPIN, opt.Staff, opt.Quit = as, f.prog, func() { *quit = true }
	f.k.Stop()
	k, err := New(f.w, f.prog, f.desk, f.cat, assets.Icons, f.clock, opt)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(k.Stop)
	f.k = k
	return quit
}

// holdHouseName presses the house name for d and lets go.
func (f *kioskFixture) holdHouseName(t *testing.T, d time.Duration) {
	t.Helper()
	var h *houseName
	walk(f.w.Canvas().Content(), func(o fyne.CanvasObject) {
		if hn, ok := o.(*houseName); ok && h == nil {
			h = hn
		}
	})
	if h == nil {
		t.Fatalf("no house name on screen: %q", f.texts())
	}
	h.MouseDown(&desktop.MouseEvent{})
	f.clock.Advance(d)
	h.MouseUp(&desktop.MouseEvent{})
}

// openStaffMenu holds the house name and types the right PIN.
func (f *kioskFixture) openStaffMenu(t *testing.T) {
	t.Helper()
	f.holdHouseName(t, 3*time.Second)
	f.k.Staff().TypePIN(staffPINForTest)
	f.tap(t, "OK")
	if f.k.staff == nil || f.k.staff.view != staffMenuView {
		t.Fatalf("right PIN did not open the menu; shows %q", f.texts())
	}
}

func TestHouseNamePressOpensPINPad(t *testing.T) {
	tests := []struct {
		hold time.Duration
		want bool
	}{
		{3 * time.Second, true},
		{2900 * time.Millisecond, false},
		{time.Second, false},
	}
	for _, tt := range tests {
		t.Run(tt.hold.String(), func(t *testing.T) {
			f := newKiosk(t, 10, 15)
			withStaff(t, f)
			f.holdHouseName(t, tt.hold)
			if got := f.k.screen == staffScreen; got != tt.want {
				t.Errorf("after holding %v: PIN pad open = %v, want %v", tt.hold, got, tt.want)
			}
			if tt.want && !f.shows("Pincode voor medewerkers") {
				t.Errorf("PIN pad lacks its title; shows %q", f.texts())
			}
		})
	}
}

func TestHouseNameWithoutStaffModeDoesNothing(t *testing.T) {
	f := newKiosk(t, 10, 15)
	f.holdHouseName(t, 5*time.Second)
	if f.k.screen != welcomeScreen {
		t.Errorf("screen = %v, want welcome: the kiosk has no staff PIN", f.k.screen)
	}
}

func TestPINPadShowsDotsNotDigits(t *testing.T) {
	f := newKiosk(t, 10, 15)
	withStaff(t, f)
	f.holdHouseName(t, 3*time.Second)
	f.tap(t, "4")
	f.tap(t, "8")
	if !f.shows("●●") {
		t.Errorf("two digits typed, want two dots; shows %q", f.texts())
	}
	if f.k.staff.shown.Text != "●●" {
		t.Errorf("shown PIN = %q, want %q", f.k.staff.shown.Text, "●●")
	}
}

func TestWrongPINRefusedAndThrottled(t *testing.T) {
	f := newKiosk(t, 10, 15)
	withStaff(t, f)
	f.holdHouseName(t, 3*time.Second)
	for i := range account.FreeFailures {
		f.k.Staff().TypePIN("111111")
		f.tap(t, "OK")
		if f.k.staff.view != staffPINView || !f.shows("Deze pincode klopt niet") {
			t.Fatalf("wrong PIN %d: view %v, shows %q", i+1, f.k.staff.view, f.texts())
		}
	}
	// Now even the right PIN must wait.
	f.k.Staff().TypePIN(staffPINForTest)
	f.tap(t, "OK")
	if f.k.staff.view != staffPINView || !f.shows("Even wachten") {
		t.Fatalf("sixth try at once: view %v, want the pad with Even wachten; shows %q", f.k.staff.view, f.texts())
	}
	// The throttle outlasts leaving the pad.
	f.k.Reset()
	f.clock.Advance(2 * time.Second)
	f.openStaffMenu(t)
}

func TestCancelActivityToday(t *testing.T) {
	f := newKiosk(t, 9, 15)
	withStaff(t, f)
	f.openStaffMenu(t)
	f.tap(t, "Vandaag")
	f.tap(t, "Stoelyoga")
	f.tap(t, "Gaat vandaag niet door")
	if f.k.staff.view != staffTodayView {
		t.Fatalf("after cancelling: view %v, want today's list", f.k.staff.view)
	}
	for _, o := range f.k.occs {
		if o.Activity.Title == "Stoelyoga" && !o.Cancelled {
			t.Errorf("Stoelyoga not cancelled after Reload: %+v", o)
		}
	}
	// Visitors see it too.
	f.k.Reset()
	f.tap(t, "Wat is er vandaag?")
	n := 0
	for _, s := range f.texts() {
		if s == "Gaat vandaag niet door" {
			n++
		}
	}
	if n != 2 { // the walk, already cancelled, and yoga
		t.Errorf("today's list shows %d cancelled, want 2; shows %q", n, f.texts())
	}
}

func TestMoveActivityToday(t *testing.T) {
	f := newKiosk(t, 9, 15)
	withStaff(t, f)
	f.openStaffMenu(t)
	f.tap(t, "Vandaag")
	f.tap(t, "Stoelyoga")
	f.tap(t, "Andere ruimte")
	f.tap(t, "Keuken")
	for _, o := range f.k.occs {
		if o.Activity.Title == "Stoelyoga" && (o.Room != "Keuken" || !o.Moved) {
			t.Errorf("Stoelyoga room = %q moved %v, want Keuken", o.Room, o.Moved)
		}
	}
}

func TestStaffIdleLeaves(t *testing.T) {
	f := newKiosk(t, 10, 15)
	withStaff(t, f)
	f.openStaffMenu(t)
	f.clock.Advance(59 * time.Second)
	if f.k.staff == nil {
		t.Fatalf("staff mode closed before 60 s")
	}
	f.clock.Advance(2 * time.Second)
	if f.k.staff != nil || f.k.screen != welcomeScreen {
		t.Errorf("after 60 s idle: staff %v, screen %v; want welcome", f.k.staff != nil, f.k.screen)
	}
}

func TestStaffDefaultLanguageAndQuit(t *testing.T) {
	f := newKiosk(t, 10, 15)
	quit := withStaff(t, f)
	f.openStaffMenu(t)
	f.tap(t, "Taal")
	f.tap(t, f.cat.Language("en"))
	f.k.Reset()
	if got := f.k.Language(); got != "en" {
		t.Errorf("language after reset = %q, want en", got)
	}
	f.openStaffMenu(t)
	f.tap(t, "Leave the kiosk")
	if !*quit {
		t.Errorf("Quit not called")
	}
}

func TestStaffPrinterStatus(t *testing.T) {
	f := newKiosk(t, 10, 15)
	withStaff(t, f)
	f.k.opt.Printer = f.printer // nothing listens on port 9
	f.openStaffMenu(t)
	f.tap(t, "Printer")
	if !f.shows("De printer is niet bereikbaar") {
		t.Errorf("printer status: shows %q", f.texts())
	}
}

func TestPrinterState(t *testing.T) {
	tests := []struct {
		st   printer.Status
		err  error
		want string
	}{
		{printer.Status{Exists: true, Accepting: true, State: "idle"}, nil, "staff.printer_ready"},
		{printer.Status{}, &printer.Error{Kind: printer.ErrUnreachable}, "staff.printer_unreachable"},
		{printer.Status{}, nil, "staff.printer_missing"},
		{printer.Status{Exists: true, Accepting: true, State: "idle", Reasons: []string{"media-empty-error"}}, nil, "staff.printer_paper"},
		{printer.Status{Exists: true, Accepting: true, State: "stopped"}, nil, "staff.printer_stopped"},
	}
	for _, tt := range tests {
		if got := printerState(tt.st, tt.err); got != tt.want {
			t.Errorf("printerState(%v, %v) = %q, want %q", tt.st, tt.err, got, tt.want)
		}
	}
}

// qrOf rasterises a printed PDF and returns what its QR code holds.
func qrOf(t *testing.T, pdf string) string {
	t.Helper()
	dir := t.TempDir()
	if out, err := exec.Command("pdftoppm", "-r", "200", "-png", pdf, filepath.Join(dir, "slip")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "slip*.png"))
	if len(pngs) == 0 {
		t.Fatal("pdftoppm made no image")
	}
	out, err := exec.Command("zbarimg", "--raw", "-q", pngs[0]).Output()
	if err != nil {
		t.Fatalf("zbarimg: %v", err)
	}
	return strings.TrimSpace(string(out))
}

// The test slip goes through the desk to a real cupsd and says it
// printed; on a printer out of paper it says why not.
func TestStaffTestSlipOnRealPrinter(t *testing.T) {
	f := newKiosk(t, 10, 15)
	cups := cupstest.Start(t)
	f.printer.URI = cups.URI
	withStaff(t, f)
	f.k.opt.Printer = f.printer
	f.openStaffMenu(t)
	f.tap(t, "Printer")
	if !f.shows("De printer is klaar om te printen.") {
		t.Fatalf("printer status: shows %q", f.texts())
	}
	f.tap(t, "Testbonnetje printen")
	if !f.shows("Het testbonnetje is geprint.") {
		t.Fatalf("after the test slip: shows %q; cupsd log:\n%s", f.texts(), cups.Log())
	}
	pdfs := cups.PDFs(t)
	if len(pdfs) != 1 {
		t.Fatalf("%d PDFs printed, want 1", len(pdfs))
	}
	if got := qrOf(t, pdfs[0]); !strings.HasPrefix(got, "http://192.168.1.20:8080/s/") {
		t.Errorf("test slip's QR holds %q, want a slip link", got)
	}
	if n, _ := f.questions.Count(context.Background()); n != 0 {
		t.Errorf("the test slip stored %d questions, want none", n)
	}

	_, f.printer.URI = cups.PaperOutQueue(t)
	f.tap(t, "Testbonnetje printen")
	for _, want := range []string{"Het testbonnetje is niet geprint.", "Het papier is op."} {
		if !f.shows(want) {
			t.Errorf("paper out: screen lacks %q; shows %q", want, f.texts())
		}
	}
}

// With no printer listening the test slip fails at once and says so.
func TestStaffTestSlipPrinterUnreachable(t *testing.T) {
	f := newKiosk(t, 10, 15)
	withStaff(t, f)
	f.k.opt.Printer = f.printer // nothing listens on port 9
	f.openStaffMenu(t)
	f.tap(t, "Printer")
	f.tap(t, "Testbonnetje printen")
	for _, want := range []string{"Het testbonnetje is niet geprint.", "De printer is niet bereikbaar"} {
		if !f.shows(want) {
			t.Errorf("screen lacks %q; shows %q", want, f.texts())
		}
	}
	// In English for staff who read English.
	f.k.SetLanguage("en")
	if !f.shows("The test slip did not print.") {
		t.Errorf("in English: shows %q", f.texts())
	}
}

// Staff type a lost slip's code on the code keyboard and the same slip
// prints again: its QR holds the question's link, its text is nowhere,
// and the reprint is in the audit log as the kiosk's.
func TestStaffReprintByCode(t *testing.T) {
	f := newKiosk(t, 10, 15)
	cups := cupstest.Start(t)
	f.printer.URI = cups.URI
	withStaff(t, f)
	ctx := context.Background()
	q, err := f.desk.Ask(ctx, desk.Draft{Topic: "geld", Text: "Ik heb een aanmaning", FollowUp: question.ComeBack, Lang: "nl"})
	if err != nil {
		t.Fatal(err)
	}
	f.openStaffMenu(t)
	f.tap(t, "Bonnetje opnieuw")
	code := question.FormatCode(q.Code)
	for _, r := range code[:3] {
		f.tap(t, string(r)) // on the code keyboard
	}
	f.k.Staff().TypeReprintCode(code[4:]) // the rest as a USB scanner types it
	if !f.shows(code) {
		t.Fatalf("typed code not shown as %s: %q", code, f.texts())
	}
	f.tap(t, "Printen")
	if !f.shows("Het bonnetje " + code + " is opnieuw geprint.") {
		t.Fatalf("after reprint: shows %q; cupsd log:\n%s", f.texts(), cups.Log())
	}
	if f.shows("aanmaning") {
		t.Errorf("the staff screen shows the question's text")
	}
	pdfs := cups.PDFs(t)
	if len(pdfs) != 1 {
		t.Fatalf("%d PDFs printed, want 1", len(pdfs))
	}
	if got, want := qrOf(t, pdfs[0]), f.desk.SlipURL(q); got != want {
		t.Errorf("reprinted QR holds %q, want %q", got, want)
	}
	log, err := sqlite.NewAccountService(f.db).AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) == 0 || log[0].Action != question.ActionReprinted || log[0].Actor != "kiosk" || log[0].QuestionID != q.ID {
		t.Errorf("newest audit entry %+v, want the kiosk's reprint of question %d", log, q.ID)
	}
	// The keyboard is ready for the next code.
	if len(f.k.staff.code) != 0 {
		t.Errorf("code %q kept after printing", string(f.k.staff.code))
	}
}

func TestStaffReprintUnknownOrShortCode(t *testing.T) {
	f := newKiosk(t, 10, 15)
	withStaff(t, f)
	f.openStaffMenu(t)
	f.tap(t, "Bonnetje opnieuw")
	f.k.Staff().TypeReprintCode("K7M")
	f.tap(t, "Printen")
	if !f.shows("Een code heeft 6 tekens.") {
		t.Errorf("short code: shows %q", f.texts())
	}
	f.k.Staff().TypeReprintCode("ZZZ")
	f.tap(t, "Printen")
	if !f.shows("Deze code kennen we niet.") {
		t.Errorf("unknown code: shows %q", f.texts())
	}
	// The staff mode still leaves by itself.
	f.clock.Advance(61 * time.Second)
	if f.k.staff != nil || f.k.screen != welcomeScreen {
		t.Errorf("after 60 s idle on the reprint screen: staff %v, screen %v", f.k.staff != nil, f.k.screen)
	}
}

// "Kiosk herstarten" is offered where something starts the kiosk again,
// and calls that hook; without one it is not on the menu.
func TestStaffRestart(t *testing.T) {
	f := newKiosk(t, 10, 15)
	withStaff(t, f)
	f.openStaffMenu(t)
	if f.shows("Kiosk herstarten") {
		t.Errorf("restart offered without a restart hook")
	}
	f.k.Reset()
	restarted := false
	f.k.opt.Restart, f.k.opt.Quit = func() { restarted = true }, nil
	f.openStaffMenu(t)
	if f.shows("Kiosk verlaten") {
		t.Errorf("leave offered without a quit hook")
	}
	f.tap(t, "Kiosk herstarten")
	if !restarted {
		t.Errorf("Restart not called")
	}
	if f.k.staff != nil {
		t.Errorf("staff mode still open after restart")
	}
}

// The default language is saved through SaveLanguage; when saving fails
// it still holds, and staff are told it will not outlast a restart.
func TestStaffLanguageSaved(t *testing.T) {
	f := newKiosk(t, 10, 15)
	withStaff(t, f)
	var saved []string
	var fail error
	f.k.opt.SaveLanguage = func(lang string) error {
		if fail != nil {
			return fail
		}
		saved = append(saved, lang)
		return nil
	}
	f.openStaffMenu(t)
	f.tap(t, "Taal")
	f.tap(t, f.cat.Language("en"))
	if !slices.Equal(saved, []string{"en"}) {
		t.Errorf("saved %q, want [en]", saved)
	}
	if f.shows("niet bewaard") {
		t.Errorf("a saved language says it was not saved: %q", f.texts())
	}
	fail = errors.New("disk full")
	f.tap(t, f.cat.Language("nl"))
	if !f.shows("Deze taal geldt nu, maar is niet bewaard.") {
		t.Errorf("failed save not shown: %q", f.texts())
	}
	if got := f.k.DefaultLanguage(); got != "nl" {
		t.Errorf("default language after a failed save = %q, want nl all the same", got)
	}
}

// Options.Language is where each visitor starts; an unknown one falls
// back to the catalogue's default.
func TestOptionsLanguage(t *testing.T) {
	for _, tt := range []struct{ lang, want string }{{"en", "en"}, {"xx", "nl"}, {"", "nl"}} {
		f := newKiosk(t, 10, 15)
		opt := f.k.opt
		opt.Language = tt.lang
		f.k.Stop()
		k, err := New(f.w, f.prog, f.desk, f.cat, assets.Icons, f.clock, opt)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(k.Stop)
		k.SetLanguage("nl")
		k.Reset()
		if got := k.Language(); got != tt.want {
			t.Errorf("Language %q: visitor starts in %q, want %q", tt.lang, got, tt.want)
		}
	}
}
