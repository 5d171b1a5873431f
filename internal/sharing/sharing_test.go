package sharing_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/district"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sharing"
)

func TestRefer(t *testing.T) {
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	houses := []string{"Huis Oost", "Huis Zuid"}
	q := question.Question{ID: 7, Token: "q3T0vq3T0vq3T0vq3T0vq3T0", Code: "K7M4QX", Topic: "geld", Text: "Ik snap mijn post niet", Lang: "tr", Status: question.Claimed}
	tests := []struct {
		name    string
		q       question.Question
		to      string
		wantErr error
	}{
		{"to a house of the district", q, "Huis Oost", nil},
		{"a name with spaces around it", q, "  Huis Zuid ", nil},
		{"a house the district does not list", q, "Huis Noord", sharing.ErrNoHouse},
		{"closed", func() question.Question { c := q; c.Status = question.Closed; return c }(), "Huis Oost", sharing.ErrClosed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := sharing.Refer(tt.q, tt.to, " spreekt Turks ", houses, at)
			if tt.wantErr != nil {
				if !errors.Is(err, tt.wantErr) || !errors.Is(err, question.ErrInvalid) {
					t.Fatalf("err = %v, want %v (and question.ErrInvalid)", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if r.ToHouse != strings.TrimSpace(tt.to) || r.Code != q.Code || r.Text != q.Text || r.Topic != "geld" || r.Language != "tr" || r.Note != "spreekt Turks" {
				t.Errorf("referral = %+v", r)
			}
			if err := r.Check(); err != nil {
				t.Errorf("the referral does not pass the district's check: %v", err)
			}
		})
	}
}

// A referral carries the question's text and code, and never its token.
func TestReferNeverCarriesTheToken(t *testing.T) {
	q := question.Question{Token: "SECRETtokenSECRETtokenXX", Code: "K7M4QX", Topic: "geld", Lang: "nl", Status: question.New}
	r, err := sharing.Refer(q, "Huis Oost", "", []string{"Huis Oost"}, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(r.ID+r.Text+r.Note+r.Code+r.Topic, q.Token) {
		t.Errorf("the referral carries the token: %+v", r)
	}
}

func TestPublish(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	today := programme.NewDate(2026, 3, 2)
	occ := func(id int64, d programme.Date, h int, demo, cancelled bool) programme.Occurrence {
		return programme.Occurrence{Activity: programme.Activity{ID: id, Title: " Wandel\ngroep ", Category: "bewegen", Demo: demo},
			Date: d, Start: programme.Clock(h, 0).On(d, loc), End: programme.Clock(h+1, 30).On(d, loc), Room: "Zaal 2", Cancelled: cancelled}
	}
	occs := []programme.Occurrence{
		occ(1, today, 10, false, false),
		occ(2, today, 14, true, false), // the demo programme
		occ(1, today.AddDays(7), 10, false, true),
		occ(1, today.AddDays(20), 10, false, false), // after the last day
	}
	made := time.Date(2026, 3, 2, 8, 0, 0, 0, time.UTC)
	p := sharing.Publish(occs, today, today.AddDays(district.ProgrammeDays-1), made)
	if err := p.Check(); err != nil {
		t.Fatalf("the programme does not pass the district's check: %v", err)
	}
	want := []district.Activity{
		{Key: "1/2026-03-02", Day: "2026-03-02", Start: "10:00", End: "11:30", Title: "Wandel groep", Category: "bewegen", Room: "Zaal 2"},
		{Key: "1/2026-03-09", Day: "2026-03-09", Start: "10:00", End: "11:30", Title: "Wandel groep", Category: "bewegen", Room: "Zaal 2", Cancelled: true},
	}
	if len(p.Activities) != len(want) {
		t.Fatalf("published %+v, want %+v", p.Activities, want)
	}
	for i := range want {
		if p.Activities[i] != want[i] {
			t.Errorf("activity %d = %+v, want %+v", i, p.Activities[i], want[i])
		}
	}

	// The fingerprint follows what is on, not when it was made.
	again := sharing.Publish(occs, today, today.AddDays(district.ProgrammeDays-1), made.Add(time.Hour))
	if sharing.Fingerprint(p) != sharing.Fingerprint(again) {
		t.Error("the same programme made an hour later has another fingerprint")
	}
	changed := sharing.Publish(occs[:1], today, today.AddDays(district.ProgrammeDays-1), made)
	if sharing.Fingerprint(p) == sharing.Fingerprint(changed) {
		t.Error("a programme without a cancelled day has the same fingerprint")
	}
}

func TestDue(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, loc)
	tests := []struct {
		name        string
		hash, last  string
		lastAt, now time.Time
		want        bool
	}{
		{"never published", "a", "", time.Time{}, at, true},
		{"unchanged, the same day", "a", "a", at, at.Add(10 * time.Hour), false},
		{"changed", "b", "a", at, at.Add(time.Minute), true},
		{"unchanged, the next day", "a", "a", at, time.Date(2026, 3, 3, 0, 5, 0, 0, loc), true},
	}
	for _, tt := range tests {
		if got := sharing.Due(tt.hash, tt.last, tt.lastAt, tt.now, loc); got != tt.want {
			t.Errorf("%s: Due = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestElsewhereToday(t *testing.T) {
	loc, _ := time.LoadLocation("Europe/Amsterdam")
	now := time.Date(2026, 3, 2, 13, 0, 0, 0, loc)
	a := func(house, start, end, cat string, cancelled bool) district.Activity {
		return district.Activity{House: house, Key: house + start, Day: "2026-03-02", Start: start, End: end, Title: "Wandelen", Category: cat, Cancelled: cancelled}
	}
	acts := []district.Activity{
		a("Huis Oost", "16:00", "17:00", "bewegen", false),
		a("Huis Oost", "10:00", "11:00", "bewegen", false), // over
		a("Huis Zuid", "12:30", "14:00", "bewegen", false), // on now
		a("Huis Zuid", "14:00", "15:00", "bewegen", true),  // cancelled
		a("Huis Zuid", "14:00", "15:00", "eten", false),    // another category
		a("Huis West", "15:00", "16:00", "bewegen", false),
		a("Huis West", "19:00", "20:00", "bewegen", false), // the fourth
		{House: "Huis West", Key: "x", Day: "2026-03-03", Start: "09:00", End: "10:00", Title: "Morgen", Category: "bewegen"},
	}
	got := sharing.ElsewhereToday(acts, "bewegen", now, loc, sharing.MaxElsewhere)
	var starts []string
	for _, g := range got {
		starts = append(starts, g.House+" "+g.Start)
	}
	if want := "Huis Zuid 12:30, Huis West 15:00, Huis Oost 16:00"; strings.Join(starts, ", ") != want {
		t.Errorf("elsewhere today = %s, want %s", strings.Join(starts, ", "), want)
	}
}
