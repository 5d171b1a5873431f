package sqlite_test

// A child process, this test binary run again, that writes to or locks a
// database the way another program would.

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"testing"

	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// childEnv names what the child process does: "ask" or "hold".
const childEnv = "BUURTBALIE_TEST_CHILD"

// TestChild is not a test: it is the child process the tests start, doing
// what childEnv says with the database at BUURTBALIE_TEST_DB.
//
//   - ask: stores questions through sqlite.Open and the QuestionService,
//     as the kiosk does, printing each one's id once Create has returned,
//     that is once the kiosk would print its slip; until killed.
//   - hold: begins a write transaction and writes in it, prints "held",
//     and keeps it open until its stdin closes.
func TestChild(t *testing.T) {
	what, path := os.Getenv(childEnv), os.Getenv("BUURTBALIE_TEST_DB")
	if what == "" {
		t.Skip("the child process of other tests")
	}
	ctx := context.Background()
	switch what {
	case "ask":
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			fmt.Println("error:", err)
			os.Exit(1)
		}
		qs := sqlite.NewQuestionService(db)
		out := bufio.NewWriter(os.Stdout)
		for {
			q := question.Question{Topic: "gezondheid", Text: "Kan iemand mij helpen met een brief?", FollowUp: question.Waiting}
			if err := qs.Create(ctx, &q); err != nil {
				fmt.Fprintln(out, "error:", err)
				out.Flush()
				os.Exit(1)
			}
			fmt.Fprintln(out, q.ID)
			out.Flush()
		}
	case "hold":
		sdb, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)&_txlock=immediate")
		if err != nil {
			t.Fatal(err)
		}
		tx, err := sdb.Begin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := tx.Exec(`INSERT INTO meta (key, value) VALUES ('test-hold', 'a long import')`); err != nil {
			t.Fatal(err)
		}
		fmt.Println("held")
		io.Copy(io.Discard, os.Stdin)
		tx.Rollback()
		sdb.Close()
	}
}

// child starts this test binary as the child process doing what with the
// database at path, and returns its output, line by line. The child is
// killed when the test ends.
func child(t *testing.T, what, path string) (*exec.Cmd, io.WriteCloser, *bufio.Scanner) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestChild$", "-test.v=false")
	cmd.Env = append(os.Environ(), childEnv+"="+what, "BUURTBALIE_TEST_DB="+path)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	return cmd, stdin, bufio.NewScanner(stdout)
}
