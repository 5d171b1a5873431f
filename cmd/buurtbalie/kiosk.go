package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os/exec"
	"reflect"
	"runtime/debug"
	"sync/atomic"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/app"

	"buurtbalie/assets"
	"buurtbalie/internal/clock"
	"buurtbalie/internal/locale"
	"buurtbalie/internal/speech"
	"buurtbalie/internal/sqlite"
	"buurtbalie/ui"
)

// appID names the app to Fyne (settings, preferences) and to the desktop.
const appID = "nl.buurtbalie.kiosk"

// errRestart ends the kiosk when staff chose "Kiosk herstarten"; main
// turns it into exitRestart.
var errRestart = errors.New("staff restarted the kiosk")

// exitRestart is the exit status of a kiosk staff restarted: not 0, so a
// supervisor that restarts only failures (Restart=on-failure) starts it
// again too, and neither 1 (an error) nor 2 (a usage mistake), so a log
// tells it from those. 75 is sysexits' EX_TEMPFAIL: "try again".
const exitRestart = 75

// supervised reports whether something starts the kiosk again when it
// ends: systemd gives every process of a service INVOCATION_ID, and xinit
// and kiosk-session pass it on.
func supervised(getenv func(string) string) bool { return getenv("INVOCATION_ID") != "" }

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

	// Every goroutine that touches widgets goes through fyne.Do, so the app
	// opts into Fyne's stricter, cheaper threading (as FyneApp.toml says
	// for the fyne tool).
	app.SetMetadata(fyne.AppMetadata{ID: appID, Name: "Buurtbalie", Version: "0.1.0", Build: 1,
		Migrations: map[string]bool{"fyneDo": true}})
	a := app.NewWithID(appID)
	noStopEvent(a)
	a.Settings().SetTheme(ui.NewTheme(accent))
	w := a.NewWindow(s.houseName)
	if s.windowed {
		w.Resize(fyne.NewSize(1280, 800))
	} else {
		// A visitor cannot leave the kiosk: no decorations, and closing
		// (Alt+F4, the window manager) is ignored. Staff leave through
		// the staff mode.
		w.SetFullScreen(true)
		w.SetCloseIntercept(func() {})
	}

	// Under systemd a kiosk that quits is back 2 s later, so there is
	// nothing to leave to: staff get "Kiosk herstarten" there, and
	// "Kiosk verlaten" only where the kiosk was started by hand.
	var quit, restart func()
	var restarting atomic.Bool
	if supervised(m.Getenv) {
		restart = func() {
			log.Info("kiosk restarting at staff's request")
			restarting.Store(true)
			a.Quit()
		}
	} else {
		quit = a.Quit
	}

	var cleanups []func()
	defer func() {
		for i := len(cleanups) - 1; i >= 0; i-- {
			cleanups[i]()
		}
	}()
	start := func(now time.Time) error {
		db, prog, err := s.openProgramme(ctx, now)
		if err != nil {
			return err
		}
		cleanups = append(cleanups, func() { db.Close() }, keepCheckpointed(db, log))
		if why := db.ReadOnly(); why != "" {
			log.Warn("the database can only be read: questions cannot be saved", "why", why)
		}
		frontDesk, p, err := s.newDesk(db, cat, log)
		if err != nil {
			return err
		}
		// A slip queued before a crash or power cut must never come out
		// later for someone else to pick up.
		if n, err := p.CancelAll(ctx); err != nil {
			log.Warn("printer not reachable at start", "printer", s.printerURI, "err", err)
		} else if n > 0 {
			log.Info("cancelled old print jobs", "jobs", n)
		}
		// A slip that was printing when the last kiosk stopped never
		// reached its visitor: the volunteers' pages must say so.
		if n, err := sqlite.NewQuestionService(db).FailPending(ctx, "the kiosk stopped before it knew whether the slip printed"); err != nil {
			log.Error("mark slips the last kiosk left printing", "err", err)
		} else if n > 0 {
			log.Info("slips the last kiosk left printing marked as not printed", "questions", n)
		}
		// The web app for volunteers runs in the same process. If it
		// cannot start (the port is taken), the kiosk still serves
		// visitors.
		if srv, err := s.startWeb(db, p, cat, log); err != nil {
			log.Error("web app not started", "err", err)
		} else {
			cleanups = append(cleanups, func() { srv.stop() })
		}
		houses := sqlite.NewHouseService(db, s.house())
		recs := newRecordings(ctx, db, log)
		screens := sqlite.NewScreenUse(db, log)
		k, err := ui.New(w, prog, frontDesk, cat, assets.Icons, ui.SystemClock{}, ui.Options{
			HouseName: s.houseName, Emergency: s.house().Emergency, Hours: s.house().Hours,
			Language: s.language, House: houses, Corrections: sqlite.NewCorrectionService(db), Location: s.location(),
			IdleAfter: s.idle, StillThereFor: s.stillThere, Logger: log,
			// Staff mode: a 3 s press on the house name and the PIN set
			// with "buurtbalie kiosk-pin".
			StaffPIN: sqlite.NewAccountService(db), Staff: prog, Printer: p, Quit: quit, Restart: restart,
			SaveLanguage: func(lang string) error { return houses.SetLanguage(ctx, lang, "kiosk") },
			Voice:        s.voice(log, recs),
			Screens:      screens,
			Elsewhere:    sqlite.NewDistrictService(db),
		})
		if err != nil {
			return fmt.Errorf("kiosk: %w", err)
		}
		watchCtx, stopWatch := context.WithCancel(ctx)
		cleanups = append(cleanups, k.Stop, stopWatch, func() {
			if err := screens.Flush(context.Background()); err != nil {
				log.Error("write screen use", "err", err)
			}
		})
		go screens.Run(watchCtx, time.Minute)
		go db.Watch(watchCtx, watchEvery, func() {
			recs.refresh(watchCtx, log)
			fyne.Do(k.Reload)
		})
		return nil
	}

	// A PC without network time may think it is 1970 until NTP or the
	// real-time clock catches up. "Today" waits for a plausible clock, and
	// meanwhile the screen tells staff what is wrong.
	if now := time.Now(); clock.Plausible(now) {
		if err := start(now); err != nil {
			return err
		}
	} else {
		w.SetContent(ui.ClockWarning(cat.For(cat.Default()), now))
		go func() {
			now := waitForClock(ctx, log)
			fyne.Do(func() {
				if err := start(now); err != nil {
					log.Error("kiosk could not start", "err", err)
					a.Quit()
				}
			})
		}()
	}

	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done(): // SIGTERM or SIGINT: quit cleanly
			// The driver's Quit, not the app's: Fyne's own SIGTERM
			// handler may have ended the loop already, and the app's Quit
			// would then close windows GLFW no longer has (a panic, seen
			// under Xvfb); the driver's is a no-op the second time.
			fyne.Do(a.Driver().Quit)
		case <-done:
		}
	}()
	log.Info("kiosk started", "data", s.dataDir, "fullscreen", !s.windowed)
	if loc, none := locale.NoLanguage(m.Getenv); none {
		// Visitors choose their language; only Fyne's own few words
		// follow the system's, and there are none to follow.
		log.Info("the system locale names no language; Fyne's own words are English", "locale", loc, "kiosk_language", s.language)
	}
	go func() {
		// Starting (migrations, the catalogue, the first frame) leaves
		// garbage the kiosk never needs again: give it back, so the
		// appliance's memory is what it runs on, not what it started
		// with.
		select {
		case <-time.After(3 * time.Second):
			debug.FreeOSMemory()
		case <-done:
		}
	}()
	w.ShowAndRun()
	if restarting.Load() {
		return errRestart
	}
	return nil
}

// recordings give the kiosk's speaker the house's recorded voices,
// knowing which languages have any without asking the database on every
// redraw; refresh reads that again when the database changed.
type recordings struct {
	*sqlite.RecordingService
	langs atomic.Pointer[map[string]bool]
}

func newRecordings(ctx context.Context, db *sqlite.DB, log *slog.Logger) *recordings {
	r := &recordings{RecordingService: sqlite.NewRecordingService(db)}
	r.refresh(ctx, log)
	return r
}

func (r *recordings) Recorded(lang string) bool {
	m := r.langs.Load()
	return m != nil && (*m)[lang]
}

func (r *recordings) refresh(ctx context.Context, log *slog.Logger) {
	list, err := r.Recordings(ctx)
	if err != nil {
		log.Error("read the recorded voices", "err", err)
		return
	}
	langs := map[string]bool{}
	for _, rec := range list {
		langs[rec.Lang] = true
	}
	r.langs.Store(&langs)
}

// voice is what reads the screens aloud: espeak-ng through aplay on the
// configured speaker, and the house's recordings, or none (no button)
// when the kiosk has no speaker or the programs are missing, which the
// log says how to fix.
func (s *settings) voice(log *slog.Logger, recs speech.Recordings) ui.Voice {
	if s.speaker == "none" {
		return nil
	}
	for _, prog := range []string{"espeak-ng", "aplay"} {
		if _, err := exec.LookPath(prog); err != nil {
			log.Error("reading aloud is off: a program is missing; install the Debian packages espeak-ng and alsa-utils", "program", prog)
			return nil
		}
	}
	return &speech.Speaker{Player: speech.Player{Device: s.speaker}, Volume: s.volume, Log: log, Recordings: recs}
}

// noStopEvent keeps Fyne from queueing its "stopped" lifecycle event as
// the kiosk quits. Fyne 2.7.1 always queues one (to save its preferences,
// which the kiosk does not use), and its event goroutine can hand it to
// the main loop's queue just after the loop closed that queue: a "send on
// closed channel" panic on SIGTERM, seen once in CI under load
// (TestKioskFailsSlipsLeftPrinting), which cut the kiosk's own cleanup
// short. Without a stop hook nothing is queued. The method is on Fyne's
// internal lifecycle type, so it is reached by name; if a later Fyne
// renames it, this does nothing and says so in the log of the test that
// checks it (TestNoStopEvent).
func noStopEvent(a fyne.App) bool {
	m := reflect.ValueOf(a.Lifecycle()).MethodByName("SetOnStoppedHookExecuted")
	if !m.IsValid() || m.Type().NumIn() != 1 || m.Type().In(0).Kind() != reflect.Func {
		return false
	}
	m.Call([]reflect.Value{reflect.Zero(m.Type().In(0))})
	return true
}
