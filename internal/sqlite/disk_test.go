package sqlite_test

// Helpers for tests on real disks: loop-mounted ext4 images and tiny
// tmpfs, which need root and the mount tools (e2fsprogs, mount); and a
// child process, this test binary run again, that writes to or locks a
// database the way another program would.

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// needMount skips the test unless it runs as root with the given tools,
// which the tests on real file systems need.
func needMount(t *testing.T, tools ...string) {
	t.Helper()
	if testing.Short() {
		t.Skip("mounts file systems; skipped with -short")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root to mount a file system (run the tests as root, as packaging/dev/test.sh does)")
	}
	for _, tool := range append(tools, "mount", "umount") {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s (Debian packages e2fsprogs, mount): %v", tool, err)
		}
	}
}

// run runs a command, failing the test when it fails.
func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// mountImage loop-mounts the ext4 image img on a new folder, unmounted
// when the test ends, and returns the folder.
func mountImage(t *testing.T, img string) string {
	t.Helper()
	dev, err := exec.Command("losetup", "-f", "--show", img).CombinedOutput()
	if err != nil {
		t.Skipf("no loop device in this sandbox (losetup: %v: %s)", err, dev)
	}
	loop := strings.TrimSpace(string(dev))
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "ext4", loop, mnt).CombinedOutput(); err != nil {
		exec.Command("losetup", "-d", loop).Run()
		t.Skipf("cannot mount ext4 on %s here: %v: %s", loop, err, out)
	}
	t.Cleanup(func() {
		// Lazily, so that a file a failed test left open does not keep
		// the loop device.
		exec.Command("umount", "-l", mnt).Run()
		exec.Command("losetup", "-d", loop).Run()
	})
	return mnt
}

// newImage makes an empty ext4 image of size MiB, with mkfs.ext4's
// defaults, as Debian's installer makes the root file system.
func newImage(t *testing.T, size int) string {
	t.Helper()
	img := filepath.Join(t.TempDir(), "disk.img")
	f, err := os.Create(img)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(int64(size) << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	run(t, "mkfs.ext4", "-q", "-F", img)
	return img
}

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
