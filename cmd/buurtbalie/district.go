package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"buurtbalie/internal/outbox"
	"buurtbalie/internal/sqlite"
)

// runDistrict joins the house's district, says how the tie stands, sends
// what waits, or leaves.
func (m *Main) runDistrict(ctx context.Context, args []string) error {
	sub := ""
	if len(args) > 0 {
		sub, args = args[0], args[1:]
	}
	synopsis := map[string]string{
		"join":   "buurtbalie district join https://wijk.example.nl CODE [flags]",
		"status": "buurtbalie district status [flags]",
		"send":   "buurtbalie district send [flags]",
		"leave":  "buurtbalie district leave [flags]",
	}[sub]
	if synopsis == "" {
		return usagef("district: say what to do: join URL CODE, status, send or leave")
	}
	s := m.newSettings("district "+sub, synopsis, 0)
	rest, flags := splitArgs(s.fs, args)
	if err := s.parse(flags, m.Getenv); err != nil {
		return err
	}
	if sub == "join" && len(rest) != 2 {
		return usagef("district join needs the district's address and the enrolment code from its page: %s", synopsis)
	}
	if sub != "join" && len(rest) != 0 {
		return usagef("district %s takes no %q: %s", sub, rest[0], synopsis)
	}
	db, err := s.openExisting(ctx)
	if err != nil {
		return err
	}
	defer db.Close()
	ds := sqlite.NewDistrictService(db)
	client := &http.Client{Timeout: 30 * time.Second}
	switch sub {
	case "join":
		if _, err := outbox.ParseURL(rest[0]); err != nil {
			return usagef("%v", err)
		}
		j, err := outbox.Join(ctx, client, rest[0], rest[1])
		if err != nil {
			return fmt.Errorf("could not join the district: %w", err)
		}
		if err := ds.Join(ctx, rest[0], j); err != nil {
			return err
		}
		l, _, err := ds.Link(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "%s is now part of %s. The kiosk sends its figures there (%d waiting): no question, code or name ever leaves the house.\n",
			j.House, j.District, l.Pending)
		return nil
	case "leave":
		if err := ds.Leave(ctx); err != nil {
			return err
		}
		fmt.Fprintln(m.Stdout, "The kiosk has left its district and sends nothing more.")
		return nil
	case "send":
		sender := outbox.NewSender(ds, m.logger())
		sender.Client = client
		total := 0
		for {
			n, err := sender.SendOnce(ctx)
			if err != nil {
				return fmt.Errorf("sent %d events, then: %w", total, err)
			}
			if n == 0 {
				break
			}
			total += n
		}
		sender.Share = outbox.NewShare(ds)
		if err := sender.ShareOnce(ctx); err != nil {
			return fmt.Errorf("sent %d events, then: %w", total, err)
		}
		fmt.Fprintf(m.Stdout, "Sent %d events to the district.\n", total)
		return nil
	}
	l, joined, err := ds.Link(ctx)
	if err != nil {
		return err
	}
	if !joined {
		fmt.Fprintln(m.Stdout, "This kiosk belongs to no district. Join one with: buurtbalie district join URL CODE")
		return nil
	}
	fmt.Fprintf(m.Stdout, "District: %s (%s)\nHouse:    %s\nJoined:   %s\n", l.District, l.URL, l.House, l.Joined.Local().Format("2006-01-02 15:04"))
	switch {
	case !l.Revoked.IsZero():
		fmt.Fprintf(m.Stdout, "State:    revoked by the district on %s: nothing is sent. Ask the district for a new code and join again.\n",
			l.Revoked.Local().Format("2006-01-02 15:04"))
	case l.LastSent.IsZero():
		fmt.Fprintln(m.Stdout, "Sent:     nothing yet")
	default:
		fmt.Fprintf(m.Stdout, "Sent:     last at %s\n", l.LastSent.Local().Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(m.Stdout, "Waiting:  %d events\n", l.Pending)
	if l.Held > 0 {
		fmt.Fprintf(m.Stdout, "Held:     %d events, until their figure reaches 5 in its week (smaller figures never leave the house)\n", l.Held)
	}
	if rs, err := ds.PendingReferrals(ctx, 1000); err == nil && len(rs) > 0 {
		fmt.Fprintf(m.Stdout, "Referred: %d questions wait to go to other houses\n", len(rs))
	}
	if l.LastError != "" {
		fmt.Fprintf(m.Stdout, "Problem:  %s\n", l.LastError)
	}
	return nil
}
