package sqlite_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"reflect"
	"strings"
	"syscall"
	"testing"
	"time"

	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

func TestCreateAndFindQuestion(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	qs := sqlite.NewQuestionService(db)
	q := question.Question{Topic: "geld", Text: "  Ik snap\tde brief van de gemeente niet  ", FollowUp: question.Waiting, Lang: "en"}
	if err := qs.Create(ctx, &q); err != nil {
		t.Fatal(err)
	}
	if q.ID == 0 || len(q.Token) != 24 || len(q.Code) != 6 || q.Created.IsZero() || q.Status != question.New {
		t.Fatalf("created question %+v lacks id, token, code, time or status", q)
	}
	if q.Text != "Ik snap de brief van de gemeente niet" {
		t.Errorf("text stored as %q, want it normalised", q.Text)
	}
	for name, find := range map[string]func() (question.Question, error){
		"token": func() (question.Question, error) { return qs.ByToken(ctx, q.Token) },
		"code":  func() (question.Question, error) { return qs.ByCode(ctx, q.Code) },
	} {
		got, err := find()
		if err != nil {
			t.Fatalf("by %s: %v", name, err)
		}
		if got.ID != q.ID || got.Text != q.Text || got.FollowUp != question.Waiting || got.Lang != "en" || !got.Created.Equal(q.Created) {
			t.Errorf("by %s: got %+v, want %+v", name, got, q)
		}
	}
	if _, err := qs.ByCode(ctx, "ZZZZZZ"); !errors.Is(err, question.ErrNotFound) {
		t.Errorf("unknown code: %v, want ErrNotFound", err)
	}
	if state, _, _ := qs.PrintState(ctx, q.ID); state != "pending" {
		t.Errorf("print state before printing = %q, want pending", state)
	}
	if err := qs.RecordPrint(ctx, q.ID, false, "printer stopped"); err != nil {
		t.Fatal(err)
	}
	if state, detail, _ := qs.PrintState(ctx, q.ID); state != "failed" || detail != "printer stopped" {
		t.Errorf("print state = %q %q, want failed with the reason", state, detail)
	}
	// The volunteers' pages read it with the question: this visitor has
	// no slip.
	if got, err := qs.ByToken(ctx, q.Token); err != nil || got.Print != question.PrintFailed {
		t.Errorf("ByToken after a failed print: Print %q, %v; want %q", got.Print, err, question.PrintFailed)
	}
	items, err := qs.Queue(ctx, question.QueueFilter{})
	if err != nil || len(items) != 1 || items[0].Question.Print != question.PrintFailed {
		t.Errorf("queue after a failed print: %+v, %v; want the question with Print %q", items, err, question.PrintFailed)
	}
}

// A kiosk that stopped while a slip printed left it "pending"; the next
// start marks it failed, and leaves printed and failed ones as they were.
func TestFailPending(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	qs := sqlite.NewQuestionService(db)
	var qq [3]question.Question
	for i := range qq {
		qq[i] = question.Question{Topic: "geld", FollowUp: question.ComeBack}
		if err := qs.Create(ctx, &qq[i]); err != nil {
			t.Fatal(err)
		}
	}
	if err := qs.RecordPrint(ctx, qq[0].ID, true, ""); err != nil {
		t.Fatal(err)
	}
	if err := qs.RecordPrint(ctx, qq[1].ID, false, "printer stopped"); err != nil {
		t.Fatal(err)
	}
	n, err := qs.FailPending(ctx, "the kiosk stopped")
	if err != nil || n != 1 {
		t.Fatalf("FailPending = %d, %v; want 1 (the one still pending)", n, err)
	}
	for i, want := range []struct{ state, detail string }{{"printed", ""}, {"failed", "printer stopped"}, {"failed", "the kiosk stopped"}} {
		if state, detail, _ := qs.PrintState(ctx, qq[i].ID); state != want.state || detail != want.detail {
			t.Errorf("question %d: print state %q %q, want %q %q", i, state, detail, want.state, want.detail)
		}
	}
	if n, err := qs.FailPending(ctx, "again"); err != nil || n != 0 {
		t.Errorf("FailPending again = %d, %v; want 0", n, err)
	}
}

func TestCreateQuestionRefusesBadInput(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	qs := sqlite.NewQuestionService(db)
	for _, q := range []question.Question{
		{Topic: "", FollowUp: question.Waiting},
		{Topic: "raketten", FollowUp: question.Waiting},
		{Topic: "geld", FollowUp: "misschien"},
	} {
		if err := qs.Create(ctx, &q); !errors.Is(err, question.ErrInvalid) {
			t.Errorf("Create(%+v) = %v, want ErrInvalid", q, err)
		}
	}
	if n, _ := qs.Count(ctx); n != 0 {
		t.Errorf("%d questions stored after refusals, want 0", n)
	}
}

// Two questions never share a code, even when the random source keeps
// offering a taken one.
func TestCreateQuestionFindsAFreeCode(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	qs := sqlite.NewQuestionService(db)
	// 18 token bytes, then 6 code bytes: the same code twice, then another.
	same := bytes.Repeat([]byte{1}, 6)
	other := bytes.Repeat([]byte{2}, 6)
	qs.Rand = bytes.NewReader(bytes.Join([][]byte{
		bytes.Repeat([]byte{7}, 18), same,
		bytes.Repeat([]byte{8}, 18), same, other,
	}, nil))
	a := question.Question{Topic: "geld", FollowUp: question.ComeBack}
	b := question.Question{Topic: "wonen", FollowUp: question.ComeBack}
	if err := qs.Create(ctx, &a); err != nil {
		t.Fatal(err)
	}
	if err := qs.Create(ctx, &b); err != nil {
		t.Fatal(err)
	}
	if a.Code == b.Code {
		t.Errorf("both questions got code %s", a.Code)
	}
}

func TestTopics(t *testing.T) {
	db, _ := open(t)
	topics, err := sqlite.NewQuestionService(db).Topics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	var keys []string
	for _, tp := range topics {
		keys = append(keys, tp.Key)
	}
	if got, want := strings.Join(keys, " "), "geld wonen gezondheid mensen taal werk anders"; got != want {
		t.Errorf("topics = %s, want %s", got, want)
	}
}

// Topic reads one topic as Topics has it, and says when there is none.
func TestTopic(t *testing.T) {
	db, _ := open(t)
	qs := sqlite.NewQuestionService(db)
	ctx := context.Background()
	topics, err := qs.Topics(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range topics {
		got, err := qs.Topic(ctx, want.Key)
		if err != nil || !reflect.DeepEqual(got, want) {
			t.Errorf("Topic(%q) = %+v, %v; want %+v as in Topics", want.Key, got, err, want)
		}
	}
	if _, err := qs.Topic(ctx, "bestaat-niet"); !errors.Is(err, question.ErrNotFound) {
		t.Errorf("Topic of a removed topic: %v, want question.ErrNotFound", err)
	}
}

// Nothing lost: a process storing questions is killed with SIGKILL again
// and again; every question it had reported as stored is in the database
// afterwards.
func TestQuestionsSurviveSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("kills processes")
	}
	path := t.TempDir() + "/buurtbalie.db"
	var reported []string
	for round := 0; round < 8; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestHelperSubmitQuestions$")
		cmd.Env = append(os.Environ(), "BUURTBALIE_SUBMIT_DB="+path)
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		sc := bufio.NewScanner(out)
		// Kill it at a different moment each round, mid-stream.
		for n := 0; n < 20+round*7 && sc.Scan(); n++ {
			if code, ok := strings.CutPrefix(sc.Text(), "stored "); ok {
				reported = append(reported, code)
			}
		}
		cmd.Process.Signal(syscall.SIGKILL)
		for sc.Scan() { // what it reported before it died
			if code, ok := strings.CutPrefix(sc.Text(), "stored "); ok {
				reported = append(reported, code)
			}
		}
		cmd.Wait()
	}
	if len(reported) < 100 {
		t.Fatalf("only %d questions reported; the helper did not run", len(reported))
	}
	db := openAt(t, path)
	qs := sqlite.NewQuestionService(db)
	for _, code := range reported {
		if _, err := qs.ByCode(context.Background(), code); err != nil {
			t.Errorf("question %s was reported stored but is not in the database: %v", code, err)
		}
	}
	t.Logf("%d questions reported over 8 kills, all present", len(reported))
}

// TestHelperSubmitQuestions is the process TestQuestionsSurviveSIGKILL
// kills: it stores questions as fast as it can and reports each one only
// after Create returned.
func TestHelperSubmitQuestions(t *testing.T) {
	path := os.Getenv("BUURTBALIE_SUBMIT_DB")
	if path == "" {
		t.Skip("run by TestQuestionsSurviveSIGKILL")
	}
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		fmt.Println("error", err)
		os.Exit(1)
	}
	qs := sqlite.NewQuestionService(db)
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		q := question.Question{Topic: "geld", Text: "vraag", FollowUp: question.Waiting}
		if err := qs.Create(context.Background(), &q); err != nil {
			fmt.Println("error", err)
			os.Exit(1)
		}
		fmt.Printf("stored %s\n", q.Code)
	}
	os.Exit(0)
}
