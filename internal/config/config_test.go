package config_test

import (
	"errors"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"buurtbalie/internal/config"
)

func flags(t *testing.T, args ...string) (*flag.FlagSet, *string, *time.Duration) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	name := fs.String("house-name", "Buurthuis", "")
	idle := fs.Duration("idle", 90*time.Second, "")
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return fs, name, idle
}

func TestApply(t *testing.T) {
	tests := []struct {
		name     string
		args     []string
		file     string
		wantName string
		wantIdle time.Duration
		wantErr  string // part of the message; "" for none
	}{
		{"empty file keeps defaults", nil, "", "Buurthuis", 90 * time.Second, ""},
		{"comments and blank lines", nil, "# a comment\n\n  # indented\n", "Buurthuis", 90 * time.Second, ""},
		{"values", nil, "house-name = Buurthuis De Linde\nidle=2m\n", "Buurthuis De Linde", 2 * time.Minute, ""},
		{"quoted value", nil, `house-name = "  De Linde  "`, "  De Linde  ", 90 * time.Second, ""},
		{"command line wins", []string{"--idle", "30s"}, "idle = 2m", "Buurthuis", 30 * time.Second, ""},
		{"shared setting of another command", nil, "windowed = true", "Buurthuis", 90 * time.Second, ""},
		{"bad duration names line and setting", nil, "\nidle = 9O", "", 0, "line 2: idle: "},
		{"unknown setting", nil, "idel = 2m", "", 0, `line 1: unknown setting "idel"`},
		{"no equals sign", nil, "house-name De Linde", "", 0, "line 1: write a setting as name = value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fs, name, idle := flags(t, tt.args...)
			err := config.Apply(fs, strings.NewReader(tt.file), "buurtbalie.conf", map[string]bool{"windowed": true})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
				var le *config.LineError
				if !errors.As(err, &le) || le.File != "buurtbalie.conf" {
					t.Errorf("err = %#v, want a LineError naming the file", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("err = %v", err)
			}
			if *name != tt.wantName || *idle != tt.wantIdle {
				t.Errorf("got house-name %q idle %s, want %q %s", *name, *idle, tt.wantName, tt.wantIdle)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	env := func(m map[string]string) func(string) string { return func(k string) string { return m[k] } }
	if got := config.DefaultDataDir(env(map[string]string{"XDG_DATA_HOME": "/x", "HOME": "/h"})); got != "/x/buurtbalie" {
		t.Errorf("with XDG_DATA_HOME: %s", got)
	}
	if got := config.DefaultDataDir(env(map[string]string{"HOME": "/h"})); got != "/h/.local/share/buurtbalie" {
		t.Errorf("with HOME: %s", got)
	}
}
