package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sqlite"
)

func (m *Main) runFigures(ctx context.Context, args []string) error {
	s := m.newSettings("figures", "buurtbalie figures --from 2026-01-01 --to 2026-12-31 [--per month] [--csv DIR] [--headings nl|en] [flags]", 0)
	fromS := s.fs.String("from", "", "first day of the period, as YYYY-MM-DD")
	toS := s.fs.String("to", "", "last day of the period, as YYYY-MM-DD")
	per := s.fs.String("per", "month", "count per week, month, quarter or year")
	csvDir := s.fs.String("csv", "", "also write each table as a CSV file (UTF-8 with BOM, for Excel) into this folder")
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
	r, err := figures.Build(ctx, sqlite.NewFigureService(db), from, to, g)
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
	for _, t := range []struct {
		s     figures.Shown
		words figures.TableWords
		name  func(string) string
	}{
		{r.Questions, figures.QuestionsWords, names.topic},
		{r.Languages, figures.LanguagesWords, names.language},
		{r.TopicLanguages, figures.TopicLanguagesWords, names.topic},
		{r.FollowUp, figures.FollowUpWords, names.followUp},
		{r.NoText, figures.NoTextWords, names.topic},
		{r.NoSlip, figures.NoSlipWords, names.topic},
		{r.Screens, figures.ScreensWords, names.screen},
	} {
		words := t.words.In(*headings)
		shown := t.s
		if t.words == figures.TopicLanguagesWords {
			for i, c := range shown.Cols {
				shown.Cols[i] = names.language(c)
			}
		}
		fmt.Fprintf(m.Stdout, "\n%s\n", words.Title)
		if err := figures.WriteTable(w, shown, words.Headings, t.name); err != nil {
			return err
		}
		w.Flush()
		if *csvDir != "" {
			if err := writeFile(filepath.Join(*csvDir, words.File+".csv"), func(f io.Writer) error {
				return figures.WriteCSV(f, shown, words.Headings, t.name)
			}); err != nil {
				return err
			}
		}
	}
	for _, t := range []struct {
		ts    []figures.Timing
		words map[string]figures.TimingWords
		name  func(string) string
	}{
		{r.Contact, figures.ContactWords, names.topic},
		{r.Closed, figures.ClosedWords, names.topic},
		{r.Referrals, figures.ReferralWords, func(k string) string { return k }},
	} {
		words := t.words[*headings]
		fmt.Fprintf(m.Stdout, "\n%s\n", words.Title)
		if err := figures.WriteTimings(w, t.ts, words.TimingHeadings, t.name); err != nil {
			return err
		}
		w.Flush()
		if *csvDir != "" {
			if err := writeFile(filepath.Join(*csvDir, words.File+".csv"), func(f io.Writer) error {
				return figures.WriteTimingsCSV(f, t.ts, words.TimingHeadings, t.name)
			}); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(m.Stdout, "\n%s\n", figures.Legend(*headings))
	return nil
}

// figureNamer names the keys of the figures in one language.
type figureNamer struct {
	topic, language, followUp, screen func(string) string
}

func (s *settings) figureNames(ctx context.Context, db *sqlite.DB, cat *catalogue.Catalogue, lang string) (figureNamer, error) {
	tr := cat.For(lang)
	topics, err := sqlite.NewQuestionService(db).Topics(ctx)
	if err != nil {
		return figureNamer{}, err
	}
	spoken, err := sqlite.NewRecordingService(db).SpokenLanguages(ctx)
	if err != nil {
		return figureNamer{}, err
	}
	return figureNamer{
		topic: func(key string) string {
			for _, t := range topics {
				if t.Key == key {
					return tr.Name("topic", key, t.Names)
				}
			}
			return tr.Name("topic", key, nil)
		},
		language: func(l string) string {
			for _, sl := range spoken {
				if sl.Code == l {
					return sl.Name
				}
			}
			if cat.Has(l) {
				return cat.Language(l)
			}
			return l
		},
		screen: func(sc string) string {
			if l, ok := strings.CutPrefix(sc, figures.ScreenLanguage); ok {
				return figures.ScreenName(sc, lang) + ": " + cat.Language(l)
			}
			return figures.ScreenName(sc, lang)
		},
		followUp: func(f string) string {
			switch f {
			case "waiting":
				return tr.T("ask.wait")
			case "come_back":
				return tr.T("ask.later")
			}
			return f
		},
	}, nil
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
