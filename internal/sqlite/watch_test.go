package sqlite_test

import (
	"context"
	"testing"
	"time"

	"buurtbalie/internal/demo"
	"buurtbalie/internal/sqlite"
)

func TestWatch(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	kiosk, path := open(t)
	web := openAt(t, path) // another *DB on the file, as another process would
	store := sqlite.NewProgrammeService(web)

	changed := make(chan struct{}, 100)
	done := make(chan struct{})
	go func() {
		defer close(done)
		kiosk.Watch(ctx, 5*time.Millisecond, func() { changed <- struct{}{} })
	}()

	// Nothing written, nothing reported.
	select {
	case <-changed:
		t.Fatal("got a change before any write, want none")
	case <-time.After(100 * time.Millisecond):
	}

	writes := []struct {
		name  string
		write func() error
	}{
		{"seed", func() error { _, err := store.SeedDemo(ctx, monday); return err }},
		{"category", func() error {
			c := demo.Categories()[0]
			c.Order = 99
			return store.SaveCategory(ctx, c)
		}},
		{"remove", func() error { _, err := store.RemoveDemo(ctx); return err }},
	}
	for _, w := range writes {
		if err := w.write(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		select {
		case <-changed:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: got no change in 5s, want one", w.name)
		}
		// One commit, one report: drain a moment to see no more come.
		select {
		case <-changed:
			t.Errorf("%s: got a second change for one commit", w.name)
		case <-time.After(50 * time.Millisecond):
		}
	}

	// A write through the watching *DB itself counts too: it goes through
	// another pooled connection.
	own := demo.Categories()[1]
	own.Order = 99
	if err := sqlite.NewProgrammeService(kiosk).SaveCategory(ctx, own); err != nil {
		t.Fatal(err)
	}
	select {
	case <-changed:
	case <-time.After(5 * time.Second):
		t.Fatal("own write: got no change in 5s, want one")
	}

	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not return after its context ended")
	}
}

func TestWatchEndsOnClose(t *testing.T) {
	db, err := sqlite.Open(context.Background(), t.TempDir()+"/buurtbalie.db")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		db.Watch(context.Background(), time.Millisecond, func() {})
	}()
	time.Sleep(20 * time.Millisecond)
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Watch did not return after Close")
	}
}
