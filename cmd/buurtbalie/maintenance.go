package main

// The appliance's upkeep from the command line, for staff and for the
// nightly timers: backup, restore and purge. And the kiosk's wait for a
// clock it can believe.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"buurtbalie/internal/clock"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/retention"
	"buurtbalie/internal/sqlite"
)

// runBackup copies the database into a backup folder, keeping the newest
// few backups there.
func (m *Main) runBackup(ctx context.Context, args []string) error {
	s := m.newSettings("backup", "buurtbalie backup [--backup-dir DIR] [--keep 14] [flags]", 0)
	to := s.backupDirFlag()
	keep := s.fs.Int("keep", 14, "how many backups to keep in that folder; older ones are deleted (0 keeps them all)")
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	if *keep < 0 {
		return usagef("--keep %d: give how many backups to keep, such as 14, or 0 to keep them all", *keep)
	}
	dir := s.backupDir(*to)
	db, err := s.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	if why := db.ReadOnly(); why != "" && *to == "" {
		return usagef("backup: the database can only be read (%s), so the backup cannot go in the data folder; "+
			"give a folder elsewhere, such as a USB stick, with --to", why)
	}
	path, err := db.Backup(ctx, dir, *keep)
	if path != "" {
		fmt.Fprintf(m.Stdout, "backed up to %s\n", path)
	}
	return err
}

// backupDirFlag adds the backup folder setting; --to is kept as a short
// spelling on the command line.
func (s *settings) backupDirFlag() *string {
	dir := new(string)
	usage := "`folder` the backups go in, such as a USB stick (default: \"backups\" in the data folder)"
	s.fs.StringVar(dir, "backup-dir", "", usage)
	s.fs.StringVar(dir, "to", "", "the same as --backup-dir")
	return dir
}

// backupDir is the backup folder: the setting, or "backups" in the data
// folder.
func (s *settings) backupDir(setting string) string {
	if setting != "" {
		return setting
	}
	return filepath.Join(s.dataDir, "backups")
}

// runRestore puts a backup back in place of the database.
func (m *Main) runRestore(ctx context.Context, args []string) error {
	s := m.newSettings("restore", "buurtbalie restore [flags] FILE", 0)
	to := s.backupDirFlag()
	files, flags := splitArgs(s.fs, args)
	if err := s.parse(flags, m.Getenv); err != nil {
		return err
	}
	switch len(files) {
	case 0:
		fmt.Fprint(m.Stderr, listBackups(s.backupDir(*to)))
		return usagef("restore: say which backup to put back: buurtbalie restore FILE")
	case 1:
	default:
		return usagef("restore: give one backup file, not %d: %s", len(files), strings.Join(files, " "))
	}
	target := filepath.Join(s.dataDir, "buurtbalie.db")
	if err := sqlite.Restore(ctx, files[0], target); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "restored %s to %s\nstart the kiosk again: systemctl start buurtbalie-kiosk\n", files[0], target)
	return nil
}

// listBackups says which backups there are in dir, newest first, to
// choose from.
func listBackups(dir string) string {
	names, _ := filepath.Glob(filepath.Join(dir, "buurtbalie-*.db"))
	if len(names) == 0 {
		return fmt.Sprintf("There are no backups in %s.\n", dir)
	}
	slices.Reverse(names)
	return fmt.Sprintf("Backups in %s, newest first:\n  %s\n", dir, strings.Join(names[:min(len(names), 10)], "\n  "))
}

// splitArgs separates the file names in args from the flags, so that a
// file may come before, between or after them: the flag package stops
// at the first argument that is not a flag.
func splitArgs(fs *flag.FlagSet, args []string) (files, flags []string) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			return append(files, args[i+1:]...), flags
		case !strings.HasPrefix(a, "-") || a == "-":
			files = append(files, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if strings.Contains(name, "=") {
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue // the flag package says what is wrong
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && b.IsBoolFlag() {
			continue
		}
		if i+1 < len(args) {
			i++
			flags = append(flags, args[i])
		}
	}
	return files, flags
}

// retentionFlags name the rules of retention.Policy on the command line.
var retentionFlags = map[string]string{"TextAfter": "text-after", "QuestionAfter": "questions-after", "AuditAfter": "audit-after"}

// runPurge erases and deletes what the retention policy says is old
// enough, or with --dry-run says what it would.
func (m *Main) runPurge(ctx context.Context, args []string) error {
	s := m.newSettings("purge", "buurtbalie purge [--dry-run] [--trust-clock] [--text-after 30d] [--questions-after 365d] [--audit-after 730d] [flags]", 0)
	p := retention.Default()
	dryRun := s.fs.Bool("dry-run", false, "only say what would be erased and deleted; change nothing")
	trust := s.fs.Bool("trust-clock", false, "believe the clock although it is far past the last purge and the newest entry; "+
		"only when you checked it and the PC really was off that long (see --dry-run first)")
	s.fs.Var(ageFlag{&p.TextAfter}, "text-after",
		"erase the text of a closed question `AGE` after it was last worked on; AGE in days (30d) or hours (720h)")
	s.fs.Var(ageFlag{&p.QuestionAfter}, "questions-after", "delete a closed question `AGE` after it was asked (an open one is never deleted for its age)")
	s.fs.Var(ageFlag{&p.AuditAfter}, "audit-after", "delete audit log entries older than `AGE`")
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	if err := p.Validate(); err != nil {
		var e *retention.Error
		if errors.As(err, &e) {
			return usagef("--%s %s %s", retentionFlags[e.Field], retention.FormatDuration(e.Value), e.Reason)
		}
		return usagef("%v", err)
	}
	db, err := s.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	purge := db.Purge
	if *trust {
		purge = db.PurgeTrustingClock
	}
	r, err := purge(ctx, p, *dryRun)
	if errors.Is(err, retention.ErrClock) {
		return clockRefusal(err, db.Location)
	}
	if err != nil {
		return err
	}
	fmt.Fprint(m.Stdout, purgeText(r, db.Location))
	return nil
}

// clockRefusal says why the purge did not believe the clock, and what to
// do: the nightly timer's log is where staff find it. A clock years off
// is the likely case, so setting it comes first; --trust-clock is only
// offered where it helps (not for a clock clock.Check refuses, which no
// flag lifts).
func clockRefusal(err error, loc *time.Location) error {
	at := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }
	fix := "set the clock: `timedatectl` shows the time and whether network time (NTP) is on; " +
		"a PC that forgets the time when switched off needs a new battery on its board"
	var ce *retention.ClockError
	if !errors.As(err, &ce) {
		// clock.Check's own words, without the chain of wrappers.
		msg := err.Error()
		if _, after, ok := strings.Cut(msg, clock.ErrImplausible.Error()+": "); ok {
			msg = after
		}
		return fmt.Errorf("purge refused, nothing was changed: the clock cannot be right: %s\nSo %s, then purge again", msg, fix)
	}
	return fmt.Errorf("purge refused, nothing was changed: the clock says %s, %d days after %s (%s); "+
		"a purge then takes for old what is not.\n"+
		"If the clock is wrong, %s; the nightly purge carries on by itself.\n"+
		"If it is right and the kiosk really was off that long, see what would go with\n"+
		"  buurtbalie purge --dry-run --trust-clock\n"+
		"and then run\n"+
		"  buurtbalie purge --trust-clock\n"+
		"Open questions are never deleted for their age, with or without it",
		at(ce.Now), ce.Days(), ce.What(), at(ce.Since), fix)
}

// purgeText says what a purge did, or would do, in two lines: the counts,
// then the cutoffs in the house's time; and a third when old open
// questions were kept.
func purgeText(r sqlite.PurgeReport, loc *time.Location) string {
	erase, del := "erased", "deleted"
	if r.DryRun {
		erase, del = "would erase", "delete"
	}
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04") }
	text := fmt.Sprintf("%s the text of %s, %s %s, %s, %s\n"+
		"(text of questions closed before %s, closed questions asked before %s, audit entries before %s)\n",
		erase, plural(r.TextErased, "closed question", "closed questions"), del,
		plural(r.Questions, "question", "questions"), plural(r.Audit, "audit entry", "audit entries"),
		plural(r.Sessions, "session", "sessions"),
		day(r.Cutoffs.Text), day(r.Cutoffs.Question), day(r.Cutoffs.Audit))
	if r.OpenKept > 0 {
		text += fmt.Sprintf("kept %s asked before %s: an open question is never deleted for its age; close what is done\n",
			plural(r.OpenKept, "open question", "open questions"), day(r.Cutoffs.Question))
	}
	return text
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// ageFlag is a retention time on the command line: days as "30d", or a
// Go duration.
type ageFlag struct{ d *time.Duration }

func (f ageFlag) String() string {
	if f.d == nil {
		return ""
	}
	return retention.FormatDuration(*f.d)
}

func (f ageFlag) Set(s string) error {
	d, err := retention.ParseDuration(s)
	if err != nil {
		return err
	}
	*f.d = d
	return nil
}

// openExisting opens the database in the data folder, which must be
// there: backing up or purging a database that a mistyped --data just
// made would only hide the mistake.
func (s *settings) openExisting(ctx context.Context) (*sqlite.DB, error) {
	path := filepath.Join(s.dataDir, "buurtbalie.db")
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, usagef("there is no database at %s; give the data folder with --data", path)
	}
	db, err := sqlite.Open(ctx, path)
	if err != nil {
		return nil, err
	}
	db.Location = s.location()
	return db, nil
}

// clockEvery is how often the kiosk looks again at a clock it does not
// believe.
const clockEvery = 5 * time.Second

// waitForClock blocks until the system clock is plausible (not 1970, see
// internal/clock), warning once in the log while it waits, and returns
// the time. The kiosk calls it before it works out "today". A ctx with a
// deadline lets the kiosk carry on with a clock it still does not
// believe; the returned time tells, through clock.Plausible.
func waitForClock(ctx context.Context, log *slog.Logger) time.Time {
	waited := false
	now := clock.WaitPlausible(ctx, time.Now, clockEvery, func(msg string) {
		waited = true
		log.Warn(msg)
	})
	if waited && clock.Plausible(now) {
		log.Info("the clock is set", "now", now.Format(time.RFC3339))
	}
	return now
}

// printerHealth reports the slip printer for /healthz
// (web.Config.PrinterStatus): its state in one line, and why a slip sent
// now would not print.
func printerHealth(p *printer.Client) func(context.Context) (string, error) {
	return func(ctx context.Context) (string, error) {
		st, err := p.Status(ctx)
		if err != nil {
			return "", err
		}
		return st.String(), st.Err()
	}
}
