package question_test

import (
	"bytes"
	"crypto/rand"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"buurtbalie/internal/question"
)

func TestTokenAndCode(t *testing.T) {
	seen := map[string]bool{}
	for i := 0; i < 1000; i++ {
		tok, err := question.NewToken(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if len(tok) != 24 || seen[tok] {
			t.Fatalf("token %q: length %d or repeated", tok, len(tok))
		}
		seen[tok] = true
		if got, err := question.ParseToken(tok); err != nil || got != tok {
			t.Fatalf("ParseToken(%q) = %q, %v", tok, got, err)
		}
		code, err := question.NewCode(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := question.ParseCode(question.FormatCode(code)); err != nil || got != code {
			t.Fatalf("ParseCode(FormatCode(%q)) = %q, %v", code, got, err)
		}
		if strings.ContainsAny(code, "ILOU") {
			t.Fatalf("code %q has a look-alike letter", code)
		}
	}
	if _, err := question.NewToken(bytes.NewReader(make([]byte, 5))); err == nil {
		t.Errorf("NewToken with too few random bytes succeeded")
	}
}

func TestParseCode(t *testing.T) {
	tests := []struct {
		in, want string
		err      error
	}{
		{"K7M-4QX", "K7M4QX", nil},
		{" k7m 4qx ", "K7M4QX", nil},
		{"O1L-IAB", "0111AB", nil}, // look-alikes read as Crockford intends
		{"K7M4Q", "", question.ErrBadCode},
		{"K7M-4QXZ", "", question.ErrBadCode},
		{"K7M-4QU", "", question.ErrBadCode}, // U is not in the alphabet
		{"K7M-4Q!", "", question.ErrBadCode},
		{"К7М-4QХ", "", question.ErrBadCode}, // Cyrillic look-alikes
		{"", "", question.ErrBadCode},
	}
	for _, tt := range tests {
		got, err := question.ParseCode(tt.in)
		if got != tt.want || !errors.Is(err, tt.err) {
			t.Errorf("ParseCode(%q) = %q, %v; want %q, %v", tt.in, got, err, tt.want, tt.err)
		}
	}
}

func TestParseToken(t *testing.T) {
	for _, bad := range []string{"", "short", strings.Repeat("a", 23), strings.Repeat("a", 25), strings.Repeat("+", 24), strings.Repeat("a", 23) + "=", "../../../../etc/passwd/xx"} {
		if _, err := question.ParseToken(bad); !errors.Is(err, question.ErrBadToken) {
			t.Errorf("ParseToken(%q) err = %v, want ErrBadToken", bad, err)
		}
	}
}

func TestNormaliseText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  Ik heb een brief  ", "Ik heb een brief"},
		{"regel 1\nregel 2\r\n\tregel 3", "regel 1 regel 2 regel 3"},
		{"e\u0301e\u0308n", "éën"}, // decomposed to NFC
		{"bel\x07 mij\x00 niet\u200b", "bel mij niet"},
		{"a    b", "a b"},
		{"\xff\xfeok", "ok"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := question.NormaliseText(tt.in); got != tt.want {
			t.Errorf("NormaliseText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	long := strings.Repeat("ab ", 400)
	if got := question.NormaliseText(long); utf8.RuneCountInString(got) > question.MaxText || strings.HasSuffix(got, " ") {
		t.Errorf("long text: %d characters, ends %q", utf8.RuneCountInString(got), got[len(got)-3:])
	}
}

func TestValidate(t *testing.T) {
	ok := question.Question{Topic: "geld", FollowUp: question.Waiting, Text: "Ik snap een brief niet"}
	if err := ok.Validate(); err != nil {
		t.Fatalf("valid question: %v", err)
	}
	bad := []question.Question{
		{FollowUp: question.Waiting},
		{Topic: "geld", FollowUp: "maybe"},
		{Topic: "geld", FollowUp: question.ComeBack, Text: " padded "},
		{Topic: "geld", FollowUp: question.ComeBack, Text: strings.Repeat("x", question.MaxText+1)},
	}
	for _, q := range bad {
		if err := q.Validate(); !errors.Is(err, question.ErrInvalid) {
			t.Errorf("Validate(%+v) = %v, want ErrInvalid", q, err)
		}
	}
}

// Whatever is typed or scanned, parsing never panics, and a code it
// accepts is canonical and formats back to itself.
func FuzzParseCode(f *testing.F) {
	for _, s := range []string{"K7M-4QX", "o1l-iab", "", "-----", "ÄÖÜ", "K7M4QX\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := question.ParseCode(s)
		if err != nil {
			return
		}
		again, err := question.ParseCode(question.FormatCode(code))
		if err != nil || again != code || len(code) != question.CodeLength {
			t.Fatalf("ParseCode(%q) = %q; round trip %q, %v", s, code, again, err)
		}
	})
}

func FuzzParseToken(f *testing.F) {
	for _, s := range []string{"AAAAAAAAAAAAAAAAAAAAAAAA", "", "%2e%2e/", strings.Repeat("_", 24)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tok, err := question.ParseToken(s)
		if err == nil && (tok != s || len(tok) != 24) {
			t.Fatalf("ParseToken(%q) = %q", s, tok)
		}
	})
}

func FuzzNormaliseText(f *testing.F) {
	for _, s := range []string{"Ik heb een vraag over mijn brief", "e\u0301", "\x00\x01", strings.Repeat("ş", 600)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got := question.NormaliseText(s)
		if !utf8.ValidString(got) || utf8.RuneCountInString(got) > question.MaxText {
			t.Fatalf("NormaliseText(%q) = %q", s, got)
		}
		if again := question.NormaliseText(got); again != got {
			t.Fatalf("not idempotent: %q then %q", got, again)
		}
	})
}
