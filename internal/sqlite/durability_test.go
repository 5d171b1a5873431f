package sqlite_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"buurtbalie/internal/disktest"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/sqlite"
)

// TestPowerCut cuts the power under a process storing questions, as a
// kiosk unplugged to charge a phone, and counts the questions it had
// acknowledged (Create returned, the slip would print) that the disk
// still holds.
//
// The database is on ext4 in a loop-mounted image file. The writer is
// killed, and at once the image file is copied: the copy holds only what
// the file system had sent to the device, not what was still in the page
// cache, which a power cut loses. The copy is then mounted (ext4 replays
// its journal, as at boot) and opened (SQLite recovers its -wal).
func TestPowerCut(t *testing.T) {
	disktest.Need(t, "losetup", "mkfs.ext4")
	const rounds, acks = 3, 150
	var acknowledged, found int
	for round := range rounds {
		mnt, img := disktest.Ext4(t, 64)
		path := filepath.Join(mnt, "buurtbalie.db")
		// An installed kiosk: its database made and on the disk.
		db, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
		syscall.Sync()

		cmd, _, out := child(t, "ask", path)
		var ids []int64
		for out.Scan() {
			id, err := strconv.ParseInt(out.Text(), 10, 64)
			if err != nil {
				t.Fatalf("writer: %s", out.Text())
			}
			ids = append(ids, id)
			if len(ids) == acks {
				break
			}
		}
		cmd.Process.Kill()
		for out.Scan() { // acknowledged before it died
			if id, err := strconv.ParseInt(out.Text(), 10, 64); err == nil {
				ids = append(ids, id)
			}
		}
		cmd.Wait()
		cut := disktest.Copy(t, img)

		stored := map[int64]bool{}
		rows, err := raw(t, filepath.Join(disktest.Mount(t, cut), "buurtbalie.db")).Query(`SELECT id FROM questions`)
		if err != nil {
			t.Fatalf("round %d: the database after the cut: %v", round+1, err)
		}
		for rows.Next() {
			var id int64
			rows.Scan(&id)
			stored[id] = true
		}
		rows.Close()
		lost := 0
		for _, id := range ids {
			if !stored[id] {
				lost++
			}
		}
		t.Logf("round %d: %d questions acknowledged, %d of them lost", round+1, len(ids), lost)
		acknowledged += len(ids)
		found += len(ids) - lost
	}
	if lost := acknowledged - found; lost > 0 {
		t.Errorf("power cuts lost %d of %d acknowledged questions, want 0", lost, acknowledged)
	}
}

// A reading command (programme, backup, export) opens the database while
// another process is in the middle of a long write, such as an import:
// with the schema current, Open takes no write lock and does not wait.
func TestOpenWhileAnotherWrites(t *testing.T) {
	ctx := context.Background()
	kiosk, path := open(t)
	ask(t, sqlite.NewQuestionService(kiosk), "gezondheid", question.Waiting)
	day := programme.NewDate(2026, time.December, 3)
	if _, err := sqlite.NewProgrammeService(kiosk).SeedDemo(ctx, day); err != nil { // the first start
		t.Fatal(err)
	}
	_, stdin, out := child(t, "hold", path)
	if !out.Scan() || out.Text() != "held" {
		t.Fatalf("the writer did not take the lock: %q", out.Text())
	}
	defer stdin.Close()

	db, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("open while another process writes: %v", err)
	}
	defer db.Close()
	progs := sqlite.NewProgrammeService(db)
	if _, err := progs.SeedDemo(ctx, day); err != nil {
		t.Errorf("seed demo, decided already, while another process writes: %v", err)
	}
	if _, err := progs.Activities(ctx); err != nil {
		t.Errorf("read activities while another process writes: %v", err)
	}
	if _, err := db.Backup(ctx, t.TempDir(), 0); err != nil {
		t.Errorf("backup while another process writes: %v", err)
	}
}

// A SQLite file of another program is refused before Buurtbalie writes
// anything to it.
func TestOpenForeign(t *testing.T) {
	path := filepath.Join(t.TempDir(), "buurtbalie.db")
	r := raw(t, path)
	if _, err := r.Exec(`CREATE TABLE contacts (name TEXT, phone TEXT); INSERT INTO contacts VALUES ('Fatima', '06-12345678')`); err != nil {
		t.Fatal(err)
	}
	r.Close()
	before, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(context.Background(), path)
	if err == nil {
		db.Close()
		t.Fatal("opened another program's database, want ErrNotBuurtbalie")
	}
	if !errors.Is(err, sqlite.ErrNotBuurtbalie) {
		t.Errorf("got %v, want ErrNotBuurtbalie", err)
	}
	for _, want := range []string{"another program", "contacts", "--data"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to say %q", err, want)
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(after) != string(before) {
		t.Error("the file was changed")
	}
}

// On a read-only file system (remounted so, or refusing writes after a
// disk error, as Debian's ext4 does) the database opens read-only, whether
// the kiosk stopped cleanly or crashed with commits still in the -wal file: what it holds can be read
// and backed up elsewhere, and writes are refused plainly.
func TestOpenReadOnlyFileSystem(t *testing.T) {
	tests := []struct {
		name    string
		crashed bool   // the kiosk was killed, leaving its -wal
		mount   string // how the file system becomes read-only
	}{
		{"stopped, remounted read-only", false, "remount,ro"},
		{"crashed, remounted read-only", true, "remount,ro"},
		// ext4's abort raises a disk error; with errors=remount-ro the
		// file system then refuses writes ("emergency_ro"), which
		// statfs and access(2) do not show.
		{"stopped, disk error", false, "remount,abort"},
		{"crashed, disk error", true, "remount,abort"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			crashed := tt.crashed
			ctx := context.Background()
			mnt, _ := disktest.Ext4(t, 16)
			path := filepath.Join(mnt, "buurtbalie.db")
			if crashed {
				cmd, _, out := child(t, "ask", path)
				for n := 0; n < 20 && out.Scan(); n++ {
				}
				cmd.Process.Kill()
				cmd.Wait()
			} else {
				db := openAt(t, path)
				for range 20 {
					ask(t, sqlite.NewQuestionService(db), "gezondheid", question.Waiting)
				}
				db.Close()
			}
			disktest.Run(t, "mount", "-o", tt.mount, mnt)

			db, err := sqlite.Open(ctx, path)
			if err != nil {
				t.Fatalf("open on a read-only file system: %v", err)
			}
			defer db.Close()
			if db.ReadOnly() == "" {
				t.Error("ReadOnly says nothing, want why")
			}
			qs := sqlite.NewQuestionService(db)
			if n, err := qs.Count(ctx); err != nil || n < 20 {
				t.Errorf("got %d questions (%v), want at least 20", n, err)
			}
			if _, err := sqlite.NewProgrammeService(db).Activities(ctx); err != nil {
				t.Errorf("activities: %v", err)
			}
			backup, err := db.Backup(ctx, t.TempDir(), 0)
			if err != nil {
				t.Fatalf("backup elsewhere: %v", err)
			}
			if n, err := sqlite.NewQuestionService(openAt(t, backup)).Count(ctx); err != nil || n < 20 {
				t.Errorf("the backup holds %d questions (%v), want at least 20", n, err)
			}
			q := question.Question{Topic: "gezondheid", FollowUp: question.Waiting}
			if err := qs.Create(ctx, &q); !errors.Is(err, sqlite.ErrReadOnly) {
				t.Errorf("store a question: %v, want ErrReadOnly", err)
			}
			if err := db.Health(ctx); !errors.Is(err, sqlite.ErrReadOnly) {
				t.Errorf("health: %v, want ErrReadOnly", err)
			}
		})
	}
}

// With the disk full, Health says so while a question can no longer be
// stored, and is well again once there is room.
func TestHealthDiskFull(t *testing.T) {
	ctx := context.Background()
	dir := disktest.Tmpfs(t, "4m")
	db := openAt(t, filepath.Join(dir, "buurtbalie.db"))
	qs := sqlite.NewQuestionService(db)
	ask(t, qs, "gezondheid", question.Waiting)
	if err := db.Health(ctx); err != nil {
		t.Fatalf("health with room: %v", err)
	}

	filler := disktest.Fill(t, dir)
	text := strings.Repeat("Ik heb een brief van de gemeente en begrijp hem niet. ", 8)
	full := false
	for range 200 { // until the -wal cannot grow
		q := question.Question{Topic: "gezondheid", Text: text, FollowUp: question.Waiting}
		if err := qs.Create(ctx, &q); err != nil {
			full = true
			break
		}
	}
	if !full {
		t.Fatal("questions were still stored on a full disk; the test did not fill it")
	}
	if err := db.Health(ctx); !errors.Is(err, sqlite.ErrDiskFull) {
		t.Errorf("health on a full disk: %v, want ErrDiskFull", err)
	}
	if err := os.Remove(filler); err != nil {
		t.Fatal(err)
	}
	if err := db.Health(ctx); err != nil {
		t.Errorf("health with room again: %v", err)
	}
	ask(t, qs, "gezondheid", question.Waiting)
}

// A -wal file removed while the kiosk runs would take every question since
// the last checkpoint with it at the next start. Health notices, and
// saves them into the database file while it still can.
func TestHealthWALRemoved(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	qs := sqlite.NewQuestionService(db)
	var qq []question.Question
	for range 5 {
		qq = append(qq, ask(t, qs, "gezondheid", question.Waiting))
	}
	if err := os.Remove(path + "-wal"); err != nil {
		t.Fatal(err)
	}
	err := db.Health(ctx)
	if !errors.Is(err, sqlite.ErrLost) || !strings.Contains(err.Error(), "-wal") {
		t.Errorf("health without the -wal: %v, want ErrLost naming the -wal", err)
	}
	// The database file alone, as the next start would find it.
	copied := disktest.Copy(t, path) // the database file alone
	later := sqlite.NewQuestionService(openAt(t, copied))
	for _, q := range qq {
		if _, err := later.ByToken(ctx, q.Token); err != nil {
			t.Errorf("question %s is not in the database file: %v", q.Code, err)
		}
	}
}

// A database file replaced under the running kiosk (an old copy put in
// place by hand) is reported.
func TestHealthReplaced(t *testing.T) {
	ctx := context.Background()
	db, path := open(t)
	if err := db.Health(ctx); err != nil {
		t.Fatal(err)
	}
	other := filepath.Join(filepath.Dir(path), "old.db")
	openAt(t, other).Close()
	if err := os.Rename(other, path); err != nil {
		t.Fatal(err)
	}
	if err := db.Health(ctx); !errors.Is(err, sqlite.ErrLost) {
		t.Errorf("health after the file was replaced: %v, want ErrLost", err)
	}
}

// Checkpoints copy what was committed into the database file, so that a
// -wal file lost later takes nothing with it; so does Close.
func TestCheckpoints(t *testing.T) {
	tests := []struct {
		name string
		done func(t *testing.T, db *sqlite.DB)
	}{
		{"checkpoint", func(t *testing.T, db *sqlite.DB) {
			complete, err := db.Checkpoint(context.Background())
			if err != nil || !complete {
				t.Fatalf("checkpoint: complete %v, %v; want complete", complete, err)
			}
		}},
		{"every interval", func(t *testing.T, db *sqlite.DB) {
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan struct{})
			go func() {
				defer close(done)
				db.Checkpoints(ctx, time.Millisecond, func(err error) { t.Errorf("checkpoint: %v", err) })
			}()
			// Until the loop has checkpointed: the -wal is then read
			// to its end, which a passive checkpoint reports.
			for {
				if complete, err := db.Checkpoint(ctx); err == nil && complete {
					break
				}
			}
			cancel()
			<-done
		}},
		{"close", func(t *testing.T, db *sqlite.DB) {
			if err := db.Close(); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db, path := open(t)
			q := ask(t, sqlite.NewQuestionService(db), "gezondheid", question.Waiting)
			tt.done(t, db)
			copied := disktest.Copy(t, path) // the database file alone
			if _, err := sqlite.NewQuestionService(openAt(t, copied)).ByToken(ctx, q.Token); err != nil {
				t.Errorf("the database file alone lacks the question: %v", err)
			}
		})
	}
}

// When ext4 meets a disk error while the kiosk runs, Debian's
// errors=remount-ro makes it read-only under the open database. ext4's
// "abort" mount option raises exactly that error. Health then says the
// database is read-only, and what was saved can still be backed up
// elsewhere by the running program.
func TestHealthDiskErrorRemountsReadOnly(t *testing.T) {
	ctx := context.Background()
	mnt, _ := disktest.Ext4(t, 16)
	db, err := sqlite.Open(ctx, filepath.Join(mnt, "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	// Close cannot checkpoint on the broken disk, and says so.
	t.Cleanup(func() { db.Close() })
	qs := sqlite.NewQuestionService(db)
	q := ask(t, qs, "gezondheid", question.Waiting)
	if err := db.Health(ctx); err != nil {
		t.Fatalf("health before the error: %v", err)
	}
	if out, err := exec.Command("mount", "-o", "remount,abort", mnt).CombinedOutput(); err != nil {
		t.Skipf("this kernel cannot abort ext4 (mount -o remount,abort): %v: %s", err, out)
	}
	err = db.Health(ctx)
	if !errors.Is(err, sqlite.ErrReadOnly) {
		t.Errorf("health after the disk error: %v, want ErrReadOnly", err)
	}
	later := question.Question{Topic: "gezondheid", FollowUp: question.Waiting}
	if err := qs.Create(ctx, &later); err == nil {
		t.Error("a question was stored on a file system that went read-only")
	}
	backup, err := db.Backup(ctx, t.TempDir(), 0)
	if err != nil {
		t.Fatalf("backup elsewhere after the disk error: %v", err)
	}
	if _, err := sqlite.NewQuestionService(openAt(t, backup)).ByToken(ctx, q.Token); err != nil {
		t.Errorf("the backup lacks the question saved before the error: %v", err)
	}

	// A command started now, such as "buurtbalie backup", opens it
	// read-only and reads it.
	rescue, err := sqlite.Open(ctx, filepath.Join(mnt, "buurtbalie.db"))
	if err != nil {
		t.Fatalf("open after the disk error: %v", err)
	}
	defer rescue.Close()
	if rescue.ReadOnly() == "" {
		t.Error("opened read-write after the disk error, want read-only")
	}
	if _, err := sqlite.NewQuestionService(rescue).ByToken(ctx, q.Token); err != nil {
		t.Errorf("read the question after the disk error: %v", err)
	}
}
