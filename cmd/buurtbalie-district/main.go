// Command buurtbalie-district is the district server: the houses of a
// district send it their anonymous figures, and it keeps them in
// PostgreSQL. It has no window and no Fyne.
//
//	buurtbalie-district serve --database DSN [--listen :8443] [--tls-cert F --tls-key F]
//	buurtbalie-district house add NAME      a house, and its first enrolment code
//	buurtbalie-district house code NAME     a new enrolment code for one more kiosk
//	buurtbalie-district house revoke NAME   refuse the house's kiosks from now on
//	buurtbalie-district houses              the houses, with when each last reported
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/districtweb"
	"buurtbalie/internal/postgres"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "buurtbalie-district:", err)
		var usage *usageError
		if errors.As(err, &usage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// Main is the program, with its outside world as fields for the tests.
type Main struct {
	Stdout, Stderr io.Writer
	Getenv         func(string) string
	Now            func() time.Time
	// Ready, when set, hears the address serve listens on.
	Ready func(addr string)
}

type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }

func usagef(format string, args ...any) error { return &usageError{fmt.Errorf(format, args...)} }

const usage = `buurtbalie-district: the district server of Buurtbalie kiosks.

Usage:
  buurtbalie-district serve [--listen :8443] [--tls-cert F --tls-key F] [--name NAME]
  buurtbalie-district house add NAME       add a house; prints its first enrolment code
  buurtbalie-district house code NAME      a new enrolment code (one per kiosk, good for 7 days)
  buurtbalie-district house revoke NAME    refuse the house's kiosks from now on
  buurtbalie-district houses               the houses, and when each last reported

Every command takes --database postgres://USER@HOST/DB (or the
BUURTBALIE_DISTRICT_DATABASE environment variable).
`

// Run runs the command args names.
func (m *Main) Run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, usage)
		return usagef("say which command to run")
	}
	cmd, args := args[0], args[1:]
	if cmd == "house" {
		if len(args) == 0 {
			return usagef("house: say add, code or revoke, and the house's name")
		}
		cmd, args = "house "+args[0], args[1:]
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	dsn := fs.String("database", m.Getenv("BUURTBALIE_DISTRICT_DATABASE"), "the PostgreSQL database, as postgres://USER@HOST:PORT/DB")
	listen := fs.String("listen", ":8443", "address to serve on")
	name := fs.String("name", "Buurtbalie-wijk", "the district's name, as the houses see it")
	cert := fs.String("tls-cert", "", "TLS certificate file (PEM); with --tls-key")
	key := fs.String("tls-key", "", "TLS key file (PEM)")
	// Flags may come before or after the house's name.
	var rest []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return err
			}
			return &usageError{err}
		}
		if fs.NArg() == 0 {
			break
		}
		rest, args = append(rest, fs.Arg(0)), fs.Args()[1:]
	}
	if *dsn == "" {
		return usagef("give the database with --database postgres://USER@HOST/DB, or set BUURTBALIE_DISTRICT_DATABASE")
	}
	needName := strings.HasPrefix(cmd, "house ")
	switch {
	case needName && len(rest) != 1:
		return usagef("%s needs the house's name, in quotes if it has spaces", cmd)
	case !needName && len(rest) != 0:
		return usagef("%s takes no %q", cmd, rest[0])
	case (*cert == "") != (*key == ""):
		return usagef("--tls-cert and --tls-key go together: give both, or neither for plain HTTP behind a proxy")
	}
	switch cmd {
	case "serve", "houses", "house add", "house code", "house revoke":
	default:
		fmt.Fprint(m.Stderr, usage)
		return usagef("there is no command %q", cmd)
	}
	db, err := postgres.Open(ctx, *dsn)
	if err != nil {
		return fmt.Errorf("cannot reach the district's database: %w; check --database, and that PostgreSQL runs", err)
	}
	defer db.Close()
	switch cmd {
	case "serve":
		return m.serve(ctx, db, *listen, *name, *cert, *key)
	case "houses":
		return m.houses(ctx, db)
	case "house add":
		h, err := db.AddHouse(ctx, strings.TrimSpace(rest[0]), m.Now())
		if err != nil {
			return err
		}
		return m.code(ctx, db, h)
	}
	h, err := db.HouseByName(ctx, rest[0])
	if errors.Is(err, postgres.ErrNotFound) {
		return usagef("there is no house %q; see them with: buurtbalie-district houses", rest[0])
	}
	if err != nil {
		return err
	}
	if cmd == "house code" {
		return m.code(ctx, db, h)
	}
	if err := db.Revoke(ctx, h.ID, m.Now()); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "%s is revoked: its kiosks are refused from now on, and each says so in its log.\n", h.Name)
	return nil
}

// code makes an enrolment code for one kiosk of h.
func (m *Main) code(ctx context.Context, db *postgres.DB, h postgres.House) error {
	code := district.NewEnrolmentCode()
	expires := m.Now().Add(district.EnrolmentValid)
	if err := db.NewEnrolment(ctx, h.ID, district.HashEnrolmentCode(code), expires); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "Enrolment code for one kiosk of %s: %s\nOn that kiosk: buurtbalie district join URL %s\nGood once, until %s.\n",
		h.Name, code, code, expires.Local().Format("2006-01-02 15:04"))
	return nil
}

func (m *Main) houses(ctx context.Context, db *postgres.DB) error {
	hs, err := db.Houses(ctx)
	if err != nil {
		return err
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "house\tkiosks\tlast report\tstate")
	for _, h := range hs {
		last, state := "never", "joined"
		if !h.LastReport.IsZero() {
			last = h.LastReport.Local().Format("2006-01-02 15:04")
		}
		if !h.Revoked.IsZero() {
			state = "revoked " + h.Revoked.Local().Format("2006-01-02")
		}
		fmt.Fprintf(w, "%s\t%d\t%s\t%s\n", h.Name, h.Kiosks, last, state)
	}
	return w.Flush()
}

func (m *Main) serve(ctx context.Context, db *postgres.DB, listen, name, cert, key string) error {
	log := slog.New(slog.NewTextHandler(m.Stderr, nil))
	api := &districtweb.API{Store: db, District: name, Log: log, Now: m.Now}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (is another program using that port? choose another with --listen)", listen, err)
	}
	srv := &http.Server{Handler: api.Handler(), ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 2 * time.Minute, ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn)}
	failed := make(chan error, 1)
	go func() {
		var err error
		if cert != "" {
			err = srv.ServeTLS(l, cert, key)
		} else {
			err = srv.Serve(l)
		}
		if !errors.Is(err, http.ErrServerClosed) {
			failed <- err
		}
	}()
	log.Info("district server started", "addr", l.Addr().String(), "tls", cert != "")
	if m.Ready != nil {
		m.Ready(l.Addr().String())
	}
	select {
	case <-ctx.Done():
	case err := <-failed:
		return err
	}
	stopCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return srv.Shutdown(stopCtx)
}
