package main

import (
	"context"
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"buurtbalie/assets"
	"buurtbalie/ui"
)

// appID names the app to Fyne (settings, preferences) and to the desktop.
const appID = "nl.buurtbalie.kiosk"

// watchEvery is how often the kiosk looks for changes others made to the
// database: well within the 5 s staff expect, and one tiny query a tick.
const watchEvery = 2 * time.Second

func (m *Main) runKiosk(ctx context.Context, args []string) error {
	s := m.newSettings("buurtbalie", "buurtbalie [flags]", withKiosk|withPrinting|withWeb)
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	cat, err := s.catalogue()
	if err != nil {
		return err
	}
	accent, _ := ui.ParseColor(s.accent) // checked in parse
	log := m.logger()

	// A PC without network time may think it is 1970 until NTP or the
	// real-time clock catches up; "today" waits for a plausible clock.
	now := waitForClock(ctx, log)
	db, prog, err := s.openProgramme(ctx, now)
	if err != nil {
		return err
	}
	defer db.Close()
	frontDesk, p, err := s.newDesk(db, cat, log)
	if err != nil {
		return err
	}
	// A slip queued before a crash or power cut must never come out later
	// for someone else to pick up.
	if n, err := p.CancelAll(ctx); err != nil {
		log.Warn("printer not reachable at start", "printer", s.printerURI, "err", err)
	} else if n > 0 {
		log.Info("cancelled old print jobs", "jobs", n)
	}

	// Every goroutine that touches widgets goes through fyne.Do, so the app
	// opts into Fyne's stricter, cheaper threading (as FyneApp.toml says
	// for the fyne tool).
	app.SetMetadata(fyne.AppMetadata{ID: appID, Name: "Buurtbalie", Version: "0.1.0", Build: 1,
		Migrations: map[string]bool{"fyneDo": true}})
	// The web app for volunteers runs in the same process. If it cannot
	// start (the port is taken), the kiosk still serves visitors.
	if srv, err := s.startWeb(db, p, cat, log); err != nil {
		log.Error("web app not started", "err", err)
	} else {
		defer srv.stop()
	}

	a := app.NewWithID(appID)
	a.Settings().SetTheme(ui.NewTheme(accent))
	w := a.NewWindow(s.houseName)
	k, err := ui.New(w, prog, frontDesk, cat, assets.Icons, ui.SystemClock{}, ui.Options{
		HouseName: s.houseName, Location: s.location(),
		IdleAfter: s.idle, StillThereFor: s.stillThere, Logger: log,
	})
	if err != nil {
		return fmt.Errorf("kiosk: %w", err)
	}
	defer k.Stop()
	if s.windowed {
		w.Resize(fyne.NewSize(1280, 800))
	} else {
		// A visitor cannot leave the kiosk: no decorations, and closing
		// (Alt+F4, the window manager) is ignored. Staff leave through
		// the staff mode.
		w.SetFullScreen(true)
		w.SetCloseIntercept(func() {})
	}

	watchCtx, stopWatch := context.WithCancel(ctx)
	defer stopWatch()
	go db.Watch(watchCtx, watchEvery, func() { fyne.Do(k.Reload) })
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done(): // SIGTERM or SIGINT: quit cleanly
			fyne.Do(a.Quit)
		case <-done:
		}
	}()
	log.Info("kiosk started", "data", s.dataDir, "fullscreen", !s.windowed)
	w.ShowAndRun()
	return nil
}
