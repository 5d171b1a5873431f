package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"time"

	"buurtbalie/assets"
	"buurtbalie/internal/account"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/feed"
	"buurtbalie/internal/outbox"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/speech"
	"buurtbalie/internal/sqlite"
	"buurtbalie/internal/subscription"
	"buurtbalie/internal/web"
)

// runServe runs the volunteers' web app and its services without the
// kiosk window: for an office PC, and for tests.
func (m *Main) runServe(ctx context.Context, args []string) error {
	s := m.newSettings("serve", "buurtbalie serve [--listen :8080] [flags]", withWeb)
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	cat, err := s.catalogue()
	if err != nil {
		return err
	}
	log := m.logger()
	db, _, err := s.openProgramme(ctx, time.Now())
	if err != nil {
		return err
	}
	defer db.Close()
	defer keepCheckpointed(db, log)()
	if why := db.ReadOnly(); why != "" {
		log.Warn("the database can only be read: nothing can be saved", "why", why)
	}
	srv, err := s.startWeb(db, nil, cat, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "serving on %s\n", srv.addr)
	select {
	case <-ctx.Done():
	case err := <-srv.failed:
		return err
	}
	return srv.stop()
}

// webServer is the running web app, with the refresher of the calendar
// feeds staff subscribe to on it.
type webServer struct {
	addr   string
	http   *http.Server
	failed chan error

	stopRefresher context.CancelFunc // the feeds' refresher and the district's sender
	refresherDone chan struct{}
	senderDone    chan struct{}
}

// startWeb listens on the configured address and serves the web app in
// the background. p is the slip printer, whose state /healthz reports; nil
// where there is none (serve).
func (s *settings) startWeb(db *sqlite.DB, p *printer.Client, cat *catalogue.Catalogue, log *slog.Logger) (*webServer, error) {
	prog, questions := sqlite.NewProgrammeService(db), sqlite.NewQuestionService(db)
	subs := sqlite.NewSubscriptionService(db)
	// Staff's corrections of the messages, as saved before this start.
	corrections := sqlite.NewCorrectionService(db)
	if cs, err := corrections.Corrections(context.Background()); err != nil {
		log.Error("read message corrections", "err", err)
	} else {
		cat.SetCorrections(cs)
	}
	fetch := feed.NewClient()
	refresher := &subscription.Refresher{Store: subs, Fetch: fetch.Fetch, Location: s.location(), Log: log}
	cfg := web.Config{Secure: s.tlsCert != "", Location: s.location(), Database: db, Programme: prog, Figures: sqlite.NewFigureService(db),
		District:      sqlite.NewDistrictService(db),
		Subscriptions: subs, RefreshSubscription: refresher.Refresh,
		Settings: &web.Settings{House: sqlite.NewHouseService(db, s.house()), Categories: prog,
			Topics: questions, Partners: questions, Pictograms: assets.Icons, Corrections: corrections,
			Voices: voices{sqlite.NewRecordingService(db), speech.Converter{}}}}
	if p != nil {
		cfg.PrinterStatus = printerHealth(p)
	}
	ds := sqlite.NewDistrictService(db)
	sender := outbox.NewSender(ds, log)
	sender.Share = outbox.NewShare(ds) // referrals, programme and updates, after the events
	cfg.HandedOver = sender.Nudge
	handler := web.New(cfg, questions, sqlite.NewAccountService(db),
		account.NewThrottle(), cat, log).Handler()
	l, err := net.Listen("tcp", s.listen)
	if err != nil {
		return nil, fmt.Errorf("web server: cannot listen on %s: %w (is another program using that port? choose another with --listen)", s.listen, err)
	}
	w := &webServer{addr: l.Addr().String(), failed: make(chan error, 1),
		http: &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
			WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}}
	// The feeds are fetched while the web app runs, where staff add them
	// and read how they stand, in the kiosk as in serve.
	ctx, cancel := context.WithCancel(context.Background())
	w.stopRefresher, w.refresherDone = cancel, make(chan struct{})
	go func() {
		defer close(w.refresherDone)
		refresher.Run(ctx)
	}()
	// What the house shares with its district goes while the web app
	// runs too; it waits quietly while the kiosk has joined none.
	w.senderDone = make(chan struct{})
	go func() {
		defer close(w.senderDone)
		sender.Run(ctx)
	}()
	go func() {
		var err error
		if s.tlsCert != "" {
			err = w.http.ServeTLS(l, s.tlsCert, s.tlsKey)
		} else {
			err = w.http.Serve(l)
		}
		if !errors.Is(err, http.ErrServerClosed) {
			w.failed <- fmt.Errorf("web server: %w", err)
		}
	}()
	log.Info("web server started", "addr", w.addr, "tls", s.tlsCert != "")
	return w, nil
}

// stop lets running requests finish, for at most a few seconds.
func (w *webServer) stop() error {
	w.stopRefresher()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := w.http.Shutdown(ctx)
	<-w.refresherDone // a fetch under way ends with its context
	<-w.senderDone
	return err
}

// checkWeb checks the web settings.
func (s *settings) checkWeb() error {
	if _, _, err := net.SplitHostPort(s.listen); err != nil {
		return usagef("--listen %q is not an address like :8080 or 192.168.1.20:8080", s.listen)
	}
	if (s.tlsCert == "") != (s.tlsKey == "") {
		return usagef("--tls-cert and --tls-key go together: give both, or neither for plain HTTP")
	}
	for _, f := range []string{s.tlsCert, s.tlsKey} {
		if f == "" {
			continue
		}
		if _, err := os.Stat(f); err != nil {
			return usagef("TLS file: %v", err)
		}
	}
	return nil
}

// voices are the house's recorded voices for the web's voices page, and
// what converts an upload into what the kiosk plays (ffmpeg).
type voices struct {
	*sqlite.RecordingService
	speech.Converter
}
