package main

import (
	"context"
	"encoding/json"
	"fmt"
	"text/tabwriter"
	"time"

	"buurtbalie/internal/programme"
)

// occurrenceJSON is one line of "buurtbalie programme --json".
type occurrenceJSON struct {
	Title     string `json:"title"`
	Start     string `json:"start"` // RFC 3339 with the offset of that day
	End       string `json:"end"`
	Room      string `json:"room"`
	Category  string `json:"category"`
	Host      string `json:"host"`
	Cancelled bool   `json:"cancelled"`
	Moved     bool   `json:"moved"`
	Retimed   bool   `json:"retimed"`
	Note      string `json:"note,omitempty"`
	Demo      bool   `json:"demo"`
}

func (m *Main) runProgramme(ctx context.Context, args []string) error {
	s := m.newSettings("programme", "buurtbalie programme --date YYYY-MM-DD [--json] [flags]", 0)
	dateFlag := s.fs.String("date", "", "the day to print, as YYYY-MM-DD (default today)")
	asJSON := s.fs.Bool("json", false, "print a JSON array instead of a table")
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	now := time.Now().In(s.location())
	day := programme.DateOf(now)
	if *dateFlag != "" {
		d, err := programme.ParseDate(*dateFlag)
		if err != nil {
			return usagef("--date: %v", err)
		}
		day = d
	}
	db, prog, err := s.openProgramme(ctx, now)
	if err != nil {
		return err
	}
	defer db.Close()
	occs, err := prog.Day(ctx, day)
	if err != nil {
		return err
	}
	if *asJSON {
		out := make([]occurrenceJSON, 0, len(occs))
		for _, o := range occs {
			out = append(out, occurrenceJSON{
				Title: o.Activity.Title, Start: o.Start.Format(time.RFC3339), End: o.End.Format(time.RFC3339),
				Room: o.Room, Category: o.Activity.Category, Host: o.Activity.Host,
				Cancelled: o.Cancelled, Moved: o.Moved, Retimed: o.Retimed, Note: o.Note, Demo: o.Activity.Demo,
			})
		}
		enc := json.NewEncoder(m.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintf(w, "%s\n", day)
	if len(occs) == 0 {
		fmt.Fprintln(w, "no activities")
	}
	for _, o := range occs {
		state := ""
		if o.Cancelled {
			state = "CANCELLED"
		}
		fmt.Fprintf(w, "%s-%s\t%s\t%s\t%s\t%s\n", o.Start.Format("15:04"), o.End.Format("15:04"), o.Activity.Title, o.Room, o.Activity.Category, state)
	}
	return w.Flush()
}
