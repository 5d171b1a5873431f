package sqlite_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/internal/sqlite"
)

// open opens a database file in a fresh temp dir, closed when the test ends.
func open(t testing.TB) (*sqlite.DB, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "buurtbalie.db")
	return openAt(t, path), path
}

// openAt opens the database file at path, closed when the test ends.
func openAt(t testing.TB, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("open %s: %v", path, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return db
}

// raw opens the file with the driver alone, to look under the store.
func raw(t testing.TB, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestOpenMigrates(t *testing.T) {
	// A directory that does not exist yet is made.
	path := filepath.Join(t.TempDir(), "var", "lib", "buurtbalie", "buurtbalie.db")
	db := openAt(t, path)
	if db.Location == nil || db.Location.String() != "Europe/Amsterdam" {
		t.Errorf("got location %v, want Europe/Amsterdam", db.Location)
	}
	if db.Now == nil {
		t.Error("got Now nil, want time.Now")
	}

	r := raw(t, path)
	var version int
	if err := r.QueryRow(`SELECT MAX(version) FROM migrations`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if got, want := version, migrationCount(t); got != want {
		t.Errorf("got schema version %d, want %d", got, want)
	}
	for _, table := range []string{"meta", "categories", "activities", "exceptions", "topics", "questions"} {
		var n int
		if err := r.QueryRow(`SELECT COUNT(*) FROM sqlite_schema WHERE type = 'table' AND name = ?`, table).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if n != 1 {
			t.Errorf("table %s: got %d, want 1", table, n)
		}
	}
	var mode string
	if err := r.QueryRow(`PRAGMA journal_mode`).Scan(&mode); err != nil {
		t.Fatal(err)
	}
	if got, want := mode, "wal"; got != want {
		t.Errorf("got journal mode %q, want %q", got, want)
	}
}

func TestOpenTwice(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "buurtbalie.db")
	for i := range 3 {
		db, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatalf("open #%d: %v", i+1, err)
		}
		if err := db.Close(); err != nil {
			t.Fatalf("close #%d: %v", i+1, err)
		}
	}
	var n int
	if err := raw(t, path).QueryRow(`SELECT COUNT(*) FROM migrations`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if got, want := n, migrationCount(t); got != want {
		t.Errorf("got %d recorded migrations, want %d", got, want)
	}
}

func TestOpenNewerSchema(t *testing.T) {
	ctx := context.Background()
	_, path := open(t)
	// One past the migrations this version knows, whatever their number.
	future := migrationCount(t) + 1
	if _, err := raw(t, path).Exec(`INSERT INTO migrations (version, name, applied_at) VALUES (?, 'future.sql', '2031-01-01T00:00:00Z')`, future); err != nil {
		t.Fatal(err)
	}
	db, err := sqlite.Open(ctx, path)
	if err == nil {
		db.Close()
		t.Fatal("got no error, want ErrNewerSchema")
	}
	if !errors.Is(err, sqlite.ErrNewerSchema) {
		t.Errorf("got %v, want ErrNewerSchema", err)
	}
	for _, want := range []string{fmt.Sprintf("version is %d", future), "newer buurtbalie", "backup"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("got %q, want it to say %q", err, want)
		}
	}
}

func TestOpenNotDatabase(t *testing.T) {
	noise := make([]byte, 8192)
	rand.Read(noise)
	tests := []struct {
		name    string
		content []byte
	}{
		{"text", []byte(strings.Repeat("Dit is geen database maar een boodschappenlijstje.\n", 100))},
		{"noise", noise},
		{"truncated header", []byte("SQLite format 3\x00\x10\x00garbage that follows the magic header, then nothing useful")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "buurtbalie.db")
			if err := os.WriteFile(path, tt.content, 0o600); err != nil {
				t.Fatal(err)
			}
			db, err := sqlite.Open(context.Background(), path)
			if err == nil {
				db.Close()
				t.Fatal("got no error, want ErrNotDatabase")
			}
			if !errors.Is(err, sqlite.ErrNotDatabase) {
				t.Errorf("got %v, want ErrNotDatabase", err)
			}
			got, _ := os.ReadFile(path)
			if string(got) != string(tt.content) {
				t.Error("the file changed, want it left alone")
			}
		})
	}
}

// migrationCount is the number of migration files, each numbered in turn.
func migrationCount(t *testing.T) int {
	t.Helper()
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("no migrations: %v", err)
	}
	return len(files)
}
