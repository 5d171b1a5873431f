package ui

import (
	"context"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/printer"
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
	f.k.TypePIN(staffPINForTest)
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
		f.k.TypePIN("111111")
		f.tap(t, "OK")
		if f.k.staff.view != staffPINView || !f.shows("Deze pincode klopt niet") {
			t.Fatalf("wrong PIN %d: view %v, shows %q", i+1, f.k.staff.view, f.texts())
		}
	}
	// Now even the right PIN must wait.
	f.k.TypePIN(staffPINForTest)
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
	f.tap(t, "Vervalt vandaag")
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
		if s == "Vervalt vandaag" {
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
