package main

import (
	"bytes"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// systemd, cron and CI run commands in the C locale, often C.UTF-8: the
// command-line tools say nothing there but their output (Fyne, which
// reads the locale before main runs, used to log "Fyne error: Error
// parsing user locale C" from every command).
func TestQuietInCLocale(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	bin := kioskBinary(t)
	data := t.TempDir()
	for _, locale := range [][]string{
		{"LANG=C"},
		{"LANG=C.UTF-8"},
		{"LANG=C.utf8"},
		{"LANG=POSIX"},
		{"LANG=nl_NL.UTF-8", "LC_ALL=C.UTF-8"},
		{}, // nothing set, as under a bare systemd unit
	} {
		for _, args := range [][]string{
			{"programme", "--data", data, "--date", "2026-11-23"},
			{"user", "list", "--data", data},
		} {
			name := strings.Join(locale, " ") + " " + strings.Join(args[:1], " ")
			t.Run(name, func(t *testing.T) {
				cmd := exec.Command(bin, args...)
				cmd.Env = append([]string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir(), "XDG_CONFIG_HOME=" + t.TempDir()}, locale...)
				var stdout, stderr bytes.Buffer
				cmd.Stdout, cmd.Stderr = &stdout, &stderr
				if err := cmd.Run(); err != nil {
					t.Fatalf("%v: %v\n%s", args, err, stderr.String())
				}
				if stderr.Len() > 0 {
					t.Errorf("stderr is not empty:\n%s", stderr.String())
				}
				if strings.Contains(stdout.String(), "Fyne") {
					t.Errorf("stdout speaks of Fyne:\n%s", stdout.String())
				}
			})
		}
	}
}
