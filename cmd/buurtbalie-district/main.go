// Command buurtbalie-district is the district server: the houses of a
// district send it their anonymous figures, and it keeps them in
// PostgreSQL. It has no window and no Fyne.
//
//	buurtbalie-district serve --database DSN [--listen :8443] [--tls-cert F --tls-key F]
//	buurtbalie-district user add NAME --role staff   an account for the district's pages
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

	"buurtbalie/internal/account"
	"buurtbalie/internal/district"
	"buurtbalie/internal/districtweb"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/prompt"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now}
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
	Stdin          io.Reader // where user add reads a password
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
                           [--secure] [--url https://district.example]
  buurtbalie-district user add NAME [--role staff] [--password-stdin]
                                           an account for the district's pages:
                                           log in at the server's address
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
	if cmd == "user" {
		if len(args) == 0 {
			return usagef("user: say add, and the name to log in with")
		}
		cmd, args = "user "+args[0], args[1:]
	}
	fs := flag.NewFlagSet(cmd, flag.ContinueOnError)
	fs.SetOutput(m.Stderr)
	dsn := fs.String("database", m.Getenv("BUURTBALIE_DISTRICT_DATABASE"), "the PostgreSQL database, as postgres://USER@HOST:PORT/DB")
	listen := fs.String("listen", ":8443", "address to serve on")
	name := fs.String("name", "Buurtbalie-wijk", "the district's name, as the houses see it")
	cert := fs.String("tls-cert", "", "TLS certificate file (PEM); with --tls-key")
	key := fs.String("tls-key", "", "TLS key file (PEM)")
	secure := fs.Bool("secure", false, "mark the pages' cookies Secure, behind a proxy that speaks TLS (implied by --tls-cert)")
	url := fs.String("url", "", "the district's address as kiosks reach it, for the join command the houses page shows; default the address the page was asked at")
	role := fs.String("role", "staff", "user add: the account's role; the district's pages are for staff")
	fromStdin := fs.Bool("password-stdin", false, "user add: read the password from the first line of standard input instead of asking, for scripts")
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
	needName := strings.HasPrefix(cmd, "house ") || cmd == "user add"
	switch {
	case cmd == "user add" && len(rest) != 1:
		return usagef("user add needs the name to log in with, such as: user add Anna --role staff")
	case needName && len(rest) != 1:
		return usagef("%s needs the house's name, in quotes if it has spaces", cmd)
	case !needName && len(rest) != 0:
		return usagef("%s takes no %q", cmd, rest[0])
	case (*cert == "") != (*key == ""):
		return usagef("--tls-cert and --tls-key go together: give both, or neither for plain HTTP behind a proxy")
	}
	switch cmd {
	case "serve", "houses", "house add", "house code", "house revoke":
	case "user add":
		if r, err := account.ParseRole(*role); err != nil || r != account.Staff {
			return usagef("user add: --role %s: the district's pages are for staff only; say --role staff", *role)
		}
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
		return m.serve(ctx, db, *listen, *name, *cert, *key, *secure || *cert != "", *url)
	case "user add":
		return m.userAdd(ctx, db, rest[0], *fromStdin)
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

// userAdd adds a member of the district's staff, who logs in on the
// district's pages. It goes to the audit log with no actor, as the
// kiosk's does: whoever can run it can reach the database anyway.
func (m *Main) userAdd(ctx context.Context, db *postgres.DB, name string, fromStdin bool) error {
	accounts := db.Accounts()
	name = account.NormaliseName(name)
	if err := account.CheckName(name); err != nil {
		return usagef("user add: %w", err)
	}
	// Look before asking for a password that would be thrown away.
	users, err := accounts.Users(ctx)
	if err != nil {
		return err
	}
	for _, u := range users {
		if account.UserKey(u.Name) == account.UserKey(name) {
			return usagef("user add: %w: there is already a user %q; choose another name, such as one with a surname", account.ErrNameTaken, u.Name)
		}
	}
	pw, err := prompt.Password(ctx, m.Stdin, m.Stderr, name, fromStdin)
	if errors.Is(err, prompt.ErrRefused) {
		return usagef("user add: %w", err)
	}
	if err != nil {
		return err
	}
	u, err := accounts.CreateUser(ctx, name, account.Staff, pw)
	if errors.Is(err, account.ErrInvalid) || errors.Is(err, account.ErrNameTaken) {
		return usagef("user add: %w", err)
	}
	if err != nil {
		return err
	}
	if err := accounts.Audit(ctx, account.Entry{Action: account.ActionUserAdded, Detail: fmt.Sprintf("%s (%s), on the command line", u.Name, u.Role)}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "added %s %s; they log in on the district's pages, at the address serve listens on\n", u.Role, u.Name)
	return nil
}

func (m *Main) serve(ctx context.Context, db *postgres.DB, listen, name, cert, key string, secure bool, url string) error {
	log := slog.New(slog.NewTextHandler(m.Stderr, nil))
	api := &districtweb.API{Store: db, District: name, Log: log, Now: m.Now}
	site, err := districtweb.NewSite(districtweb.SiteConfig{DB: db, API: api, Secure: secure, URL: url, Log: log, Now: m.Now})
	if err != nil {
		return err
	}
	l, err := net.Listen("tcp", listen)
	if err != nil {
		return fmt.Errorf("cannot listen on %s: %w (is another program using that port? choose another with --listen)", listen, err)
	}
	srv := &http.Server{Handler: site, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
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
	defer m.maintain(ctx, db, log)() // folds the figures, empties old referrals
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
