package question_test

import (
	"errors"
	"strings"
	"testing"

	"buurtbalie/internal/question"
)

func TestActionCheck(t *testing.T) {
	tests := []struct {
		name   string
		action question.Action
		status question.Status
		want   question.Status
		err    error
	}{
		{"claim new", question.Action{Kind: question.EventClaimed}, question.New, question.Claimed, nil},
		{"claim claimed", question.Action{Kind: question.EventClaimed}, question.Claimed, question.Claimed, nil},
		{"claim referred", question.Action{Kind: question.EventClaimed}, question.Referred, question.Claimed, nil},
		{"claim closed", question.Action{Kind: question.EventClaimed}, question.Closed, question.Closed, question.ErrInvalid},

		{"note keeps new", question.Action{Kind: question.EventNote, Text: "Wil graag een taalmaatje."}, question.New, question.New, nil},
		{"note keeps claimed", question.Action{Kind: question.EventNote, Text: "Gebeld, geen gehoor."}, question.Claimed, question.Claimed, nil},
		{"note on closed", question.Action{Kind: question.EventNote, Text: "Kwam nog even langs."}, question.Closed, question.Closed, nil},
		{"empty note", question.Action{Kind: question.EventNote}, question.New, question.New, question.ErrInvalid},
		{"blank note", question.Action{Kind: question.EventNote, Text: " \t\n "}, question.Claimed, question.Claimed, question.ErrInvalid},
		// Lengths count characters, not bytes: é is two bytes.
		{"longest note", question.Action{Kind: question.EventNote, Text: strings.Repeat("é", question.MaxNote)}, question.New, question.New, nil},
		{"note too long", question.Action{Kind: question.EventNote, Text: strings.Repeat("é", question.MaxNote+1)}, question.New, question.New, question.ErrInvalid},

		{"message", question.Action{Kind: question.EventMessage, Text: "Kom dinsdag om 10 uur naar Zaal 2."}, question.Claimed, question.Claimed, nil},
		{"message after closing", question.Action{Kind: question.EventMessage, Text: "Fijn dat het gelukt is!"}, question.Closed, question.Closed, nil},
		{"empty message", question.Action{Kind: question.EventMessage, Text: "  "}, question.Claimed, question.Claimed, question.ErrInvalid},
		{"longest message", question.Action{Kind: question.EventMessage, Text: strings.Repeat("a", question.MaxMessage)}, question.New, question.New, nil},
		{"message too long", question.Action{Kind: question.EventMessage, Text: strings.Repeat("a", question.MaxMessage+1)}, question.New, question.New, question.ErrInvalid},

		{"refer new", question.Action{Kind: question.EventReferred, Partner: 2}, question.New, question.Referred, nil},
		{"refer claimed", question.Action{Kind: question.EventReferred, Partner: 1}, question.Claimed, question.Referred, nil},
		{"refer without partner", question.Action{Kind: question.EventReferred}, question.Claimed, question.Claimed, question.ErrInvalid},

		{"close", question.Action{Kind: question.EventClosed, Outcome: question.PassedOn, Text: "Doorverwezen en afgesproken."}, question.Referred, question.Closed, nil},
		{"close new", question.Action{Kind: question.EventClosed, Outcome: question.Helped}, question.New, question.Closed, nil},
		{"close without outcome", question.Action{Kind: question.EventClosed, Text: "Klaar."}, question.Claimed, question.Claimed, question.ErrInvalid},
		{"close with a made-up outcome", question.Action{Kind: question.EventClosed, Outcome: "solved"}, question.Claimed, question.Claimed, question.ErrInvalid},
		{"close twice", question.Action{Kind: question.EventClosed, Outcome: question.Helped}, question.Closed, question.Closed, question.ErrInvalid},
		{"closing note too long", question.Action{Kind: question.EventClosed, Outcome: question.Other, Text: strings.Repeat("x", question.MaxNote+1)}, question.Claimed, question.Claimed, question.ErrInvalid},

		// Viewing is recorded by the store, not done as an action.
		{"viewed", question.Action{Kind: question.EventViewed}, question.New, question.New, question.ErrInvalid},
		{"unknown", question.Action{Kind: "deleted"}, question.New, question.New, question.ErrInvalid},
		{"no kind", question.Action{Text: "iets"}, question.Claimed, question.Claimed, question.ErrInvalid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := tt.action
			got, err := a.Check(tt.status)
			if !errors.Is(err, tt.err) {
				t.Fatalf("got error %v, want %v", err, tt.err)
			}
			if got != tt.want {
				t.Errorf("got status %q, want %q", got, tt.want)
			}
		})
	}
}

func TestActionCheckTrimsText(t *testing.T) {
	a := question.Action{Kind: question.EventNote, Text: "\n  Bel de buurtcoach terug.  \t"}
	if _, err := a.Check(question.New); err != nil {
		t.Fatal(err)
	}
	if got, want := a.Text, "Bel de buurtcoach terug."; got != want {
		t.Errorf("got text %q, want %q", got, want)
	}
}

func TestStatusOpen(t *testing.T) {
	tests := []struct {
		status question.Status
		want   bool
	}{
		{question.New, true},
		{question.Claimed, true},
		{question.Referred, true},
		{question.Closed, false},
	}
	for _, tt := range tests {
		if got := tt.status.Open(); got != tt.want {
			t.Errorf("%q.Open() = %v, want %v", tt.status, got, tt.want)
		}
	}
}

// Claiming a question a colleague holds asks first; everything else
// colleagues may do on each other's questions.
func TestActionCheckHolder(t *testing.T) {
	claim := question.Action{Kind: question.EventClaimed}
	if err := claim.CheckHolder(question.Claimed, "Piet", "Kees"); !errors.Is(err, question.ErrTaken) {
		t.Fatalf("Kees claiming Piet's question: got %v, want ErrTaken", err)
	} else if te := (*question.TakenError)(nil); !errors.As(err, &te) || te.By != "Piet" {
		t.Errorf("the refusal names %v, want Piet", err)
	}
	for _, tt := range []struct {
		name          string
		a             question.Action
		status        question.Status
		holder, actor string
	}{
		{"confirmed takeover", question.Action{Kind: question.EventClaimed, TakeOver: true}, question.Claimed, "Piet", "Kees"},
		{"own claim again", claim, question.Claimed, "Kees", "Kees"},
		{"nobody holds it", claim, question.New, "", "Kees"},
		{"a colleague's note", question.Action{Kind: question.EventNote, Text: "x"}, question.Claimed, "Piet", "Kees"},
		{"closed: Check refuses it", claim, question.Closed, "Piet", "Kees"},
	} {
		if err := tt.a.CheckHolder(tt.status, tt.holder, tt.actor); err != nil {
			t.Errorf("%s: %v", tt.name, err)
		}
	}
}

func TestActionClaimsFirst(t *testing.T) {
	for _, k := range []question.EventKind{question.EventNote, question.EventMessage, question.EventReferred, question.EventClosed} {
		a := question.Action{Kind: k}
		if !a.ClaimsFirst(question.New) {
			t.Errorf("%s on a new question does not claim it", k)
		}
		if a.ClaimsFirst(question.Claimed) {
			t.Errorf("%s on a claimed question claims it again", k)
		}
	}
	if (question.Action{Kind: question.EventClaimed}).ClaimsFirst(question.New) {
		t.Error("a claim claims first")
	}
}
