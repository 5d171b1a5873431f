package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"buurtbalie/internal/calendar"
	"buurtbalie/internal/sqlite"
)

// runImport reads an ICS or CSV file (told apart by content) into the
// programme: all or nothing, with a report of what was added, changed and
// skipped and why. --dry-run shows the report and changes nothing.
func (m *Main) runImport(ctx context.Context, args []string) error {
	s := m.newSettings("import", "buurtbalie import FILE [--dry-run] [flags]", 0)
	dryRun := s.fs.Bool("dry-run", false, "show what the import would do, and change nothing")
	files, flags := splitArgs(s.fs, args)
	if err := s.parse(flags, m.Getenv); err != nil {
		return err
	}
	if len(files) != 1 {
		return usagef("import: give one file, an .ics calendar or a .csv sheet (see the README for the CSV columns)")
	}
	f, err := os.Open(files[0])
	if err != nil {
		return usagef("import: %v", err)
	}
	defer f.Close()
	// Staff setting up a house often import before anything else ran: a
	// fresh install gets its database here, with the demo programme as on
	// every first start, and is told so.
	path := filepath.Join(s.dataDir, "buurtbalie.db")
	_, statErr := os.Stat(path)
	db, prog, err := s.openProgramme(ctx, time.Now())
	if err != nil {
		return err
	}
	defer db.Close()
	if errors.Is(statErr, fs.ErrNotExist) {
		fmt.Fprintf(m.Stdout, "created the database %s with the demo programme (\"buurtbalie demo remove\" removes the demo)\n", path)
	}
	cats, err := prog.Categories(ctx)
	if err != nil {
		return err
	}
	imp, err := calendar.Parse(f, calendar.Options{Now: db.Now(), Location: db.Location, Categories: cats})
	if err != nil {
		return fmt.Errorf("import %s: nothing was changed: %w", files[0], err)
	}
	imp.Name = filepath.Base(files[0])
	report, err := prog.ApplyImport(ctx, imp, *dryRun)
	if err != nil {
		return fmt.Errorf("import %s: nothing was changed: %w", files[0], err)
	}
	verb := "imported"
	if *dryRun {
		verb = "would import (dry run, nothing changed)"
	}
	fmt.Fprintf(m.Stdout, "%s %s: %d added, %d changed, %d unchanged, %d removed, %d skipped\n",
		verb, imp.Name, report.Added, report.Changed, report.Unchanged, report.Removed, len(report.Skipped))
	for _, issue := range report.Skipped {
		fmt.Fprintf(m.Stdout, "  skipped: %s\n", issue)
	}
	for _, issue := range report.Notes {
		fmt.Fprintf(m.Stdout, "  note: %s\n", issue)
	}
	return nil
}

// runExport writes every activity as CSV, in the columns import reads.
func (m *Main) runExport(ctx context.Context, args []string) error {
	s := m.newSettings("export", "buurtbalie export --csv [flags] > programme.csv", 0)
	asCSV := s.fs.Bool("csv", false, "write CSV (the only format so far)")
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	if !*asCSV {
		return usagef("export: say --csv; CSV is the format export writes")
	}
	db, err := s.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	acts, err := sqlite.NewProgrammeService(db).Activities(ctx)
	if err != nil {
		return err
	}
	return calendar.WriteCSV(m.Stdout, acts)
}
