package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/report"
	"buurtbalie/internal/sqlite"
)

func (m *Main) runFigures(ctx context.Context, args []string) error {
	s := m.newSettings("figures", "buurtbalie figures --from 2026-01-01 --to 2026-12-31 [--per month] [--csv DIR] [--pdf FILE] [--headings nl|en] [flags]", 0)
	fromS := s.fs.String("from", "", "first day of the period, as YYYY-MM-DD")
	toS := s.fs.String("to", "", "last day of the period, as YYYY-MM-DD")
	per := s.fs.String("per", "month", "count per week, month, quarter or year")
	csvDir := s.fs.String("csv", "", "also write each table as a CSV file (UTF-8 with BOM, for Excel) into this folder")
	pdfFile := s.fs.String("pdf", "", "also write the figures as an A4 PDF to this file (a Jaarverslag for a whole year)")
	headings := s.fs.String("headings", "nl", "language of the titles and column names: nl or en")
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	from, err := programme.ParseDate(*fromS)
	if err != nil {
		return usagef("--from %q is not a day like 2026-01-01", *fromS)
	}
	to, err := programme.ParseDate(*toS)
	if err != nil {
		return usagef("--to %q is not a day like 2026-12-31", *toS)
	}
	switch {
	case to.Before(from):
		return usagef("--to %s is before --from %s; give the first day first", to, from)
	case from.DaysUntil(to) > 5*366:
		return usagef("%s to %s is more than five years; ask for five years at most", from, to)
	case *headings != "nl" && *headings != "en":
		return usagef("--headings %q: choose nl (Nederlands) or en (English)", *headings)
	}
	g, err := figures.ParseGrain(*per)
	if err != nil {
		return usagef("--per: %v", err)
	}
	db, err := s.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	cat, err := s.catalogue()
	if err != nil {
		return err
	}
	r, err := figures.Build(ctx, sqlite.NewFigureService(db), from, to, programme.DateOf(time.Now().In(s.location())), g)
	if err != nil {
		return err
	}
	names, err := s.figureNames(ctx, db, cat, *headings)
	if err != nil {
		return err
	}
	if *csvDir != "" {
		if err := os.MkdirAll(*csvDir, 0o755); err != nil {
			return err
		}
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(m.Stdout, "%s – %s\n", from, to)
	for _, t := range r.Tables(names) {
		fmt.Fprintf(m.Stdout, "\n%s\n", t.Title)
		if err := figures.WriteTable(w, t.Shown, t.Headings, t.Name); err != nil {
			return err
		}
		w.Flush()
		if *csvDir != "" {
			if err := writeFile(filepath.Join(*csvDir, t.File+".csv"), func(f io.Writer) error {
				return figures.WriteCSV(f, t.Shown, t.Headings, t.Name)
			}); err != nil {
				return err
			}
		}
	}
	for _, t := range r.Timings(names) {
		fmt.Fprintf(m.Stdout, "\n%s\n", t.Title)
		if err := figures.WriteTimings(w, t.Timings, t.TimingHeadings, t.Name); err != nil {
			return err
		}
		w.Flush()
		if *csvDir != "" {
			if err := writeFile(filepath.Join(*csvDir, t.File+".csv"), func(f io.Writer) error {
				return figures.WriteTimingsCSV(f, t.Timings, t.TimingHeadings, t.Name)
			}); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(m.Stdout, "\n%s\n", figures.Legend(*headings))
	if *pdfFile != "" {
		h, err := sqlite.NewHouseService(db, s.house()).House(ctx)
		if err != nil {
			return err
		}
		tr := cat.For(*headings)
		words := report.DutchWords
		if *headings == "en" {
			words = report.EnglishWords
		}
		now := programme.DateOf(time.Now().In(s.location()))
		pdf, err := report.PDF(report.Document{House: h.Name, Title: report.Title(from, to, *headings),
			Period:    tr.Date(from.Year, from.Month, from.Day) + " – " + tr.Date(to.Year, to.Month, to.Day),
			Made:      tr.T("web.figures.made") + " " + tr.Date(now.Year, now.Month, now.Day),
			Headlines: r.Headlines(tr, names),
		}, r, names, words)
		if err != nil {
			return err
		}
		if err := os.WriteFile(*pdfFile, pdf, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(m.Stderr, "wrote %s\n", *pdfFile)
	}
	return nil
}

// figureNames names the figures' keys in lang: topics as the kiosk
// names them, languages in their own name (a spoken-only one as staff
// typed it).
func (s *settings) figureNames(ctx context.Context, db *sqlite.DB, cat *catalogue.Catalogue, lang string) (figures.Namer, error) {
	topics, err := sqlite.NewQuestionService(db).Topics(ctx)
	if err != nil {
		return figures.Namer{}, err
	}
	spoken, err := sqlite.NewRecordingService(db).SpokenLanguages(ctx)
	if err != nil {
		return figures.Namer{}, err
	}
	cats, err := sqlite.NewProgrammeService(db).Categories(ctx)
	if err != nil {
		return figures.Namer{}, err
	}
	names, categories := map[string]map[string]string{}, map[string]map[string]string{}
	for _, t := range topics {
		names[t.Key] = t.Names
	}
	for _, c := range cats {
		categories[c.Key] = c.Names
	}
	return figures.NewNamer(lang, cat.For(lang), names, categories, func(l string) string {
		for _, sl := range spoken {
			if sl.Code == l {
				return sl.Name
			}
		}
		if cat.Has(l) {
			return cat.Language(l)
		}
		return l
	}), nil
}

// writeFile writes a file whole through write, or says why not.
func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
