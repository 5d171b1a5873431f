// Command buurtbalie is the neighbourhood-house kiosk: a full-screen Fyne
// app showing today's programme, plus the command-line tools around it.
//
//	buurtbalie                          run the kiosk
//	buurtbalie programme --date D       print a day's programme
//	buurtbalie screenshot --out DIR     render every kiosk screen to PNG
//	buurtbalie demo remove              remove the built-in demo programme
//	buurtbalie serve                    the volunteers' web app, no window
//	buurtbalie user add|list|disable    accounts for volunteers and staff
//	buurtbalie print-test               a sample slip
//	buurtbalie backup|restore|purge     keep the data safe, and no longer than needed
//
// This is the only package that imports fyne.io/fyne/v2/app; it wires the
// database, the translations and the screens together.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/url"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
	_ "time/tzdata" // the house's time zone without relying on the system's

	"buurtbalie/assets"
	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/config"
	"buurtbalie/internal/desk"
	"buurtbalie/internal/house"
	_ "buurtbalie/internal/locale" // before Fyne reads the locale, so C.UTF-8 logs no error
	"buurtbalie/internal/printer"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/slip"
	"buurtbalie/internal/sqlite"
	"buurtbalie/ui"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	m := &Main{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv}
	if err := m.Run(ctx, os.Args[1:]); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		if errors.Is(err, errRestart) {
			os.Exit(exitRestart) // logged already; not an error
		}
		fmt.Fprintln(os.Stderr, "buurtbalie:", err)
		var usage *usageError
		if errors.As(err, &usage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// Main is the program, with its outside world as fields so tests can run
// it whole.
type Main struct {
	Stdin          io.Reader
	Stdout, Stderr io.Writer
	Getenv         func(string) string
}

// usageError is a mistake in how the program was called: exit status 2.
type usageError struct{ err error }

func (e *usageError) Error() string { return e.err.Error() }
func (e *usageError) Unwrap() error { return e.err }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Errorf(format, args...)}
}

// Run runs the subcommand named by args[0] (the kiosk when there is none).
func (m *Main) Run(ctx context.Context, args []string) error {
	cmd := "kiosk"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "kiosk":
		return m.runKiosk(ctx, args)
	case "programme", "program":
		return m.runProgramme(ctx, args)
	case "screenshot":
		return m.runScreenshot(ctx, args)
	case "speak":
		return m.runSpeak(ctx, args)
	case "figures":
		return m.runFigures(ctx, args)
	case "district":
		return m.runDistrict(ctx, args)
	case "demo":
		return m.runDemo(ctx, args)
	case "print-test":
		return m.runPrintTest(ctx, args)
	case "serve":
		return m.runServe(ctx, args)
	case "import":
		return m.runImport(ctx, args)
	case "export":
		return m.runExport(ctx, args)
	case "user":
		return m.runUser(ctx, args)
	case "kiosk-pin":
		return m.runKioskPIN(ctx, args)
	case "backup":
		return m.runBackup(ctx, args)
	case "restore":
		return m.runRestore(ctx, args)
	case "purge":
		return m.runPurge(ctx, args)
	case "help":
		m.usage()
		return nil
	}
	m.usage()
	return usagef("there is no command %q; the commands are listed above", cmd)
}

func (m *Main) usage() {
	fmt.Fprint(m.Stderr, `Buurtbalie: the neighbourhood-house kiosk.

Usage:
  buurtbalie [flags]                        run the kiosk (full screen)
  buurtbalie programme --date YYYY-MM-DD    print that day's programme (--json for JSON)
  buurtbalie screenshot --out DIR           render every kiosk screen to PNG, no display needed
  buurtbalie figures --from DAY --to DAY    the house's anonymous figures per week, month, quarter or year (--csv DIR for Excel)
  buurtbalie district join URL CODE         share the house's figures with its district (also: status, leave)
  buurtbalie speak --screen NAME --lang L --out FILE.wav
                                            write what a screen says aloud (--screen list names them)
  buurtbalie serve [--listen :8080]         run the volunteers' web app without the kiosk window
  buurtbalie kiosk-pin                      set the PIN of the kiosk's staff mode (hold the house name 3 s)
  buurtbalie import FILE [--dry-run]        read an ICS calendar or CSV sheet into the programme
  buurtbalie export --csv                   write the programme as CSV
  buurtbalie print-test [--out FILE.pdf]    print a sample slip and say how the printer is (--lang ar: in Arabic)
  buurtbalie demo remove                    remove the built-in demo programme
  buurtbalie user COMMAND                   accounts: add, list, disable, password
  buurtbalie backup [--to DIR] [--keep 14]  copy the database to DIR (default: DATA/backups), keeping the newest 14
  buurtbalie restore FILE                   put a backup back (stop the kiosk first)
  buurtbalie purge [--dry-run]              erase and delete old questions by the retention policy (see --help)

Run "buurtbalie COMMAND --help" for a command's flags. Every flag can also be
set in a config file, one "name = value" per line (see --config).
`)
}

// settings are the flags most subcommands share.
type settings struct {
	fs        *flag.FlagSet
	config    string
	dataDir   string
	houseName string
	language  string
	digits    string
	timeZone  string

	// the kiosk's own
	windowed   bool
	idle       time.Duration
	stillThere time.Duration
	accent     string
	speaker    string // the ALSA device read-aloud plays on, or "none"
	volume     int

	// the web app
	listen          string
	tlsCert, tlsKey string

	// slips and the printer
	printerURI   string
	printTimeout time.Duration
	paper        float64
	publicURL    string
	hours        string
	emergency    string
}

// allSettings names every setting of every subcommand, so one config file
// can serve them all.
var allSettings = map[string]bool{
	"data": true, "house-name": true, "language": true, "timezone": true,
	"windowed": true, "idle": true, "still-there": true, "accent": true, "speaker": true, "volume": true,
	"printer": true, "print-timeout": true, "paper": true, "public-url": true, "hours": true, "emergency": true,
	"listen": true, "tls-cert": true, "tls-key": true,
	"text-after": true, "questions-after": true, "audit-after": true, "keep": true, "backup-dir": true,
}

// The kinds of settings a subcommand has.
const (
	withKiosk    = 1 << iota // the window's settings
	withPrinting             // slips and the printer
	withWeb                  // the volunteers' web app
)

func (m *Main) newSettings(name, synopsis string, kinds int) *settings {
	s := &settings{fs: flag.NewFlagSet(name, flag.ContinueOnError)}
	fs := s.fs
	fs.SetOutput(m.Stderr)
	fs.Usage = func() {
		fmt.Fprintf(m.Stderr, "Usage: %s\n\nFlags:\n", synopsis)
		fs.PrintDefaults()
	}
	fs.StringVar(&s.config, "config", "", "config file with \"name = value\" lines (default: ~/.config/buurtbalie/buurtbalie.conf or /etc/buurtbalie/buurtbalie.conf if present)")
	fs.StringVar(&s.dataDir, "data", config.DefaultDataDir(m.Getenv), "folder that holds the database")
	fs.StringVar(&s.houseName, "house-name", "Buurthuis De Linde", "the house's name, shown on top of the kiosk")
	fs.StringVar(&s.language, "language", "nl", "the kiosk's default language (a translation in assets/i18n)")
	fs.StringVar(&s.timeZone, "timezone", sqlite.HouseZone, "the house's time zone")
	fs.StringVar(&s.digits, "arabic-digits", "western", "digits on Arabic screens and slips: western (12:30, what Arabic readers in the Netherlands see every day) or eastern (١٢:٣٠)")
	if kinds&withPrinting != 0 {
		fs.StringVar(&s.printerURI, "printer", "ipp://localhost:631/printers/buurtbalie", "the CUPS queue slips print to, as ipp://HOST:PORT/printers/NAME")
		fs.DurationVar(&s.printTimeout, "print-timeout", 20*time.Second, "a slip not printed within this time is cancelled and shown on screen instead (5s to 2m)")
		fs.Float64Var(&s.paper, "paper", 80, "receipt paper width in mm: 80 or 58")
		fs.StringVar(&s.publicURL, "public-url", "", "start of the link in the slips' QR codes, e.g. http://192.168.1.20:8080 (default: this machine's LAN address and port 8080)")
	}
	if kinds&(withPrinting|withWeb) != 0 {
		// The house's own words on every slip; staff can change them on
		// the web's settings page, and these are where they start.
		fs.StringVar(&s.hours, "hours", "Maandag t/m vrijdag 9:30 – 16:00", "when volunteers are in, printed on slips; separate lines with | (staff can change it on the web's settings page)")
		fs.StringVar(&s.emergency, "emergency", "112 bij levensgevaar | 113 Zelfmoordpreventie: 0800-0113 | Huisartsenpost: bel uw eigen huisarts", "emergency numbers printed on slips; separate lines with | (staff can change it on the web's settings page)")
	}
	if kinds&withWeb != 0 {
		fs.StringVar(&s.listen, "listen", ":8080", "where the volunteers' web app listens, as [HOST]:PORT")
		fs.StringVar(&s.tlsCert, "tls-cert", "", "certificate file for HTTPS (with --tls-key); without it the web app is plain HTTP on the house network")
		fs.StringVar(&s.tlsKey, "tls-key", "", "private key file for HTTPS")
	}
	if kinds&withKiosk != 0 {
		fs.BoolVar(&s.windowed, "windowed", false, "run in a window instead of full screen (for development)")
		fs.DurationVar(&s.idle, "idle", 90*time.Second, "ask \"Bent u er nog?\" after this long without a touch (10s to 1h)")
		fs.DurationVar(&s.stillThere, "still-there", 15*time.Second, "then start afresh after this long without an answer (5s to 5m)")
		fs.StringVar(&s.accent, "accent", ui.DefaultAccent, "the house's accent colour, as #rrggbb; keep it dark enough for white text")
		fs.StringVar(&s.speaker, "speaker", "default", "the ALSA device \"Voorlezen\" plays on (see aplay -L), or none for a kiosk without a speaker, which hides the button")
		fs.IntVar(&s.volume, "volume", 80, "loudness of reading aloud, 0 to 100 percent")
	}
	return s
}

// parse reads the command line, then the config file, then checks the
// values.
func (s *settings) parse(args []string, getenv func(string) string) error {
	if err := s.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return &usageError{err}
	}
	if s.fs.NArg() > 0 {
		return usagef("%s: unexpected %q; run with --help to see the flags", s.fs.Name(), s.fs.Arg(0))
	}
	file := s.config
	if file == "" {
		file = config.DefaultFile(getenv)
	}
	if file != "" {
		if err := config.ApplyFile(s.fs, file, allSettings); err != nil {
			return &usageError{err}
		}
	}
	return s.check()
}

func (s *settings) check() error {
	switch {
	case strings.TrimSpace(s.dataDir) == "":
		return usagef("--data is empty; give the folder that holds the database")
	case strings.TrimSpace(s.houseName) == "":
		return usagef("--house-name is empty; give the house's name, e.g. \"Buurthuis De Linde\"")
	case len([]rune(s.houseName)) > 60:
		return usagef("--house-name is longer than 60 characters; shorten it so it fits on the screen")
	}
	if _, err := time.LoadLocation(s.timeZone); err != nil {
		return usagef("--timezone %q is not a time zone; use a name like Europe/Amsterdam", s.timeZone)
	}
	if s.digits != "western" && s.digits != "eastern" {
		return usagef("--arabic-digits %q: choose western (12:30) or eastern (١٢:٣٠)", s.digits)
	}
	if s.fs.Lookup("listen") != nil {
		if err := s.checkWeb(); err != nil {
			return err
		}
	}
	if s.fs.Lookup("printer") != nil {
		if err := s.checkPrinting(); err != nil {
			return err
		}
	}
	if s.fs.Lookup("idle") == nil {
		return nil
	}
	switch {
	case s.idle < 10*time.Second || s.idle > time.Hour:
		return usagef("--idle %s is out of range; choose between 10s and 1h, e.g. 90s", s.idle)
	case s.stillThere < 5*time.Second || s.stillThere > 5*time.Minute:
		return usagef("--still-there %s is out of range; choose between 5s and 5m, e.g. 15s", s.stillThere)
	}
	if err := checkSpeaker(s.speaker, s.volume); err != nil {
		return err
	}
	accent, err := ui.ParseColor(s.accent)
	if err == nil {
		err = ui.CheckAccent(accent)
	}
	if err != nil {
		return usagef("--accent: %v", err)
	}
	return nil
}

func (s *settings) checkPrinting() error {
	if err := (&printer.Client{URI: s.printerURI}).Validate(); err != nil {
		return usagef("--printer: %v", err)
	}
	switch {
	case s.printTimeout < 5*time.Second || s.printTimeout > 2*time.Minute:
		return usagef("--print-timeout %s is out of range; choose between 5s and 2m, e.g. 20s", s.printTimeout)
	case s.paper != 80 && s.paper != 58:
		return usagef("--paper %g: receipt paper is 80 or 58 mm wide", s.paper)
	}
	if s.publicURL == "" {
		s.publicURL = lanURL(s.webPort())
	}
	u, err := url.Parse(s.publicURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" {
		return usagef("--public-url %q is not a link like http://192.168.1.20:8080", s.publicURL)
	}
	return nil
}

// webPort is the port of --listen, or 8080.
func (s *settings) webPort() int {
	if _, p, err := net.SplitHostPort(s.listen); err == nil {
		if n, err := strconv.Atoi(p); err == nil && n > 0 {
			return n
		}
	}
	return 8080
}

// lanURL guesses the link volunteers' phones reach this machine by: its
// first private IPv4 address on the house network, or localhost.
func lanURL(port int) string {
	host := "localhost"
	if addrs, err := net.InterfaceAddrs(); err == nil {
		for _, a := range addrs {
			if ip, ok := a.(*net.IPNet); ok && ip.IP.To4() != nil && ip.IP.IsPrivate() {
				host = ip.IP.String()
				break
			}
		}
	}
	return "http://" + net.JoinHostPort(host, strconv.Itoa(port))
}

// newDesk wires the front desk: the question store, slips and the printer.
func (s *settings) newDesk(db *sqlite.DB, cat *catalogue.Catalogue, log *slog.Logger) (*desk.Desk, *printer.Client, error) {
	slips, err := slip.New()
	if err != nil {
		return nil, nil, err
	}
	p := &printer.Client{URI: s.printerURI, Timeout: s.printTimeout}
	return desk.New(sqlite.NewQuestionService(db), slips, p, cat, s.deskConfig(sqlite.NewHouseService(db, s.house())), log), p, nil
}

// deskConfig is what the slips say about the house: as configured, or as
// staff saved it on the settings page when houses is set.
func (s *settings) deskConfig(houses desk.Settings) desk.Config {
	h := s.house()
	return desk.Config{
		House: h.Name, PublicURL: s.publicURL, Hours: h.Hours, Emergency: h.Emergency,
		PaperMM: s.paper, Location: s.location(), Settings: houses,
	}
}

// house is the house as configured: where what staff save on the
// settings page starts from.
func (s *settings) house() house.House {
	return house.House{Name: s.houseName, Hours: house.Lines(s.hours), Emergency: house.Lines(s.emergency), Language: s.language}.Normalise()
}

func (s *settings) location() *time.Location {
	loc, _ := time.LoadLocation(s.timeZone) // checked in check
	return loc
}

// catalogue loads the translations, checking the default language has one.
func (s *settings) catalogue() (*catalogue.Catalogue, error) {
	cat, err := catalogue.Load(assets.Messages, "i18n", s.language)
	if err != nil {
		return nil, usagef("--language: %v", err)
	}
	cat.UseEasternArabicDigits(s.digits == "eastern")
	return cat, nil
}

// openProgramme opens the database in the data folder and, on its very
// first start, fills it with the demo programme so a fresh install shows a
// living house.
func (s *settings) openProgramme(ctx context.Context, now time.Time) (*sqlite.DB, *sqlite.ProgrammeService, error) {
	db, err := sqlite.Open(ctx, filepath.Join(s.dataDir, "buurtbalie.db"))
	if err != nil {
		return nil, nil, err
	}
	db.Location = s.location()
	prog := sqlite.NewProgrammeService(db)
	if db.ReadOnly() != "" {
		return db, prog, nil // what there is can be read; nothing is seeded
	}
	if _, err := prog.SeedDemo(ctx, programme.DateOf(now.In(db.Location))); err != nil {
		db.Close()
		return nil, nil, fmt.Errorf("demo programme: %w", err)
	}
	return db, prog, nil
}

// checkpointEvery is how often a running kiosk or serve copies what was
// committed from the -wal file into the database file: what a lost -wal
// file could take with it is at most this much.
const checkpointEvery = 30 * time.Second

// keepCheckpointed checkpoints db every checkpointEvery in the background,
// logging failures, until the returned stop is called (before db.Close).
func keepCheckpointed(db *sqlite.DB, log *slog.Logger) (stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		db.Checkpoints(ctx, checkpointEvery, func(err error) { log.Warn("database checkpoint failed", "err", err) })
	}()
	return func() {
		cancel()
		<-done
	}
}

func (m *Main) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(m.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

func (m *Main) runDemo(ctx context.Context, args []string) error {
	if len(args) == 0 || args[0] != "remove" {
		return usagef("demo: say \"buurtbalie demo remove\" to remove the demo programme")
	}
	s := m.newSettings("demo remove", "buurtbalie demo remove [flags]", 0)
	if err := s.parse(args[1:], m.Getenv); err != nil {
		return err
	}
	db, err := sqlite.Open(ctx, filepath.Join(s.dataDir, "buurtbalie.db"))
	if err != nil {
		return err
	}
	defer db.Close()
	n, err := sqlite.NewProgrammeService(db).RemoveDemo(ctx)
	if err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "removed %d demo activities\n", n)
	return nil
}

// alsaDevice is what an ALSA PCM name looks like: "default", "hw:1,0",
// "plughw:CARD=PCH,DEV=0", "file:FILE=/tmp/x.raw,FORMAT=raw".
var alsaDevice = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_:,=./-]*$`)

func checkSpeaker(speaker string, volume int) error {
	switch {
	case speaker == "":
		return usagef("--speaker is empty; give an ALSA device such as default (aplay -L lists them), or none for a kiosk without a speaker")
	case speaker != "none" && !alsaDevice.MatchString(speaker):
		return usagef("--speaker %q is not an ALSA device name; use one that aplay -L lists, e.g. default or plughw:CARD=PCH,DEV=0, or none", speaker)
	case volume < 0 || volume > 100:
		return usagef("--volume %d is out of range; choose between 0 and 100 (percent), e.g. 80", volume)
	}
	return nil
}
