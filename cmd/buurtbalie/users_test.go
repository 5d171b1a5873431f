package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"buurtbalie/internal/account"
	"buurtbalie/internal/sqlite"
)

// runWithStdin runs the program like run, with stdin as its standard
// input.
func runWithStdin(t *testing.T, data, stdin string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	cfg := t.TempDir()
	m := &Main{Stdin: strings.NewReader(stdin), Stdout: &out, Stderr: &errOut, Getenv: func(k string) string {
		switch k {
		case "XDG_CONFIG_HOME":
			return cfg
		case "XDG_DATA_HOME":
			return data
		}
		return ""
	}}
	err = m.Run(context.Background(), append(args, "--data", data))
	return out.String(), errOut.String(), err
}

func TestUserAddListDisable(t *testing.T) {
	data := t.TempDir()
	steps := []struct {
		stdin string
		args  []string
		want  string // on stdout
	}{
		{"", []string{"user", "list"}, "no users yet"},
		{"de koffie is klaar\n", []string{"user", "add", "--name", " Anna ", "--role", "volunteer", "--password-stdin"}, "added volunteer Anna\n"},
		{"402917\r\n", []string{"user", "add", "--name", "Bram", "--role", "Staff", "--password-stdin"}, "added staff Bram\n"},
		{"", []string{"user", "list"}, "Anna  volunteer  active"},
		{"", []string{"user", "disable", "--name", "anna"}, "disabled Anna"},
		{"", []string{"user", "list"}, "Anna  volunteer  disabled"},
		{"de thee is klaar", []string{"user", "password", "--name", "BRAM", "--password-stdin"}, "changed the password of Bram"},
	}
	for _, st := range steps {
		out, stderr, err := runWithStdin(t, data, st.stdin, st.args...)
		if err != nil {
			t.Fatalf("%v: %v\n%s", st.args, err, stderr)
		}
		if !strings.Contains(out, st.want) {
			t.Errorf("%v: stdout %q, want it to contain %q", st.args, out, st.want)
		}
	}

	ctx := context.Background()
	db, err := sqlite.Open(ctx, filepath.Join(data, "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	as := sqlite.NewAccountService(db)
	for _, tt := range []struct {
		name, pw string
		want     error
	}{
		{"Anna", "de koffie is klaar", account.ErrBadLogin}, // disabled
		{"Bram", "402917", account.ErrBadLogin},             // changed
		{"Bram", "de thee is klaar", nil},
	} {
		if _, err := as.Login(ctx, tt.name, tt.pw); err != tt.want {
			t.Errorf("login %s: %v, want %v", tt.name, err, tt.want)
		}
	}
	log, err := as.AuditLog(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		if e.Actor == "" {
			got = append(got, e.Action)
		}
	}
	if want := "password_changed user_disabled user_added user_added"; strings.Join(got, " ") != want {
		t.Errorf("command-line audit entries %q, want %q", strings.Join(got, " "), want)
	}
}

// Bad input is refused with a message that says what to fix, as a usage
// error, and adds no one.
func TestUserRefusesBadInput(t *testing.T) {
	data := t.TempDir()
	if _, stderr, err := runWithStdin(t, data, "de koffie is klaar\n", "user", "add", "--name", "Anna", "--role", "volunteer", "--password-stdin"); err != nil {
		t.Fatalf("add Anna: %v\n%s", err, stderr)
	}
	tests := []struct {
		name  string
		stdin string
		args  []string
		want  string
	}{
		{"short password", "geheim\n", []string{"user", "add", "--name", "Cor", "--role", "volunteer", "--password-stdin"},
			"the password has 6 characters; use at least 10 characters, or a PIN of at least 6 digits"},
		{"short PIN", "1379\n", []string{"user", "add", "--name", "Cor", "--role", "volunteer", "--password-stdin"},
			"the PIN has 4 digits; use at least 6 digits"},
		{"empty stdin", "", []string{"user", "add", "--name", "Cor", "--role", "volunteer", "--password-stdin"},
			"standard input is empty"},
		{"duplicate name", "de thee is klaar\n", []string{"user", "add", "--name", "ANNA", "--role", "staff", "--password-stdin"},
			`there is already a user "Anna"; choose another name`},
		{"unknown role", "de thee is klaar\n", []string{"user", "add", "--name", "Cor", "--role", "admin", "--password-stdin"},
			`there is no role "admin"; choose staff or volunteer`},
		{"no role", "de thee is klaar\n", []string{"user", "add", "--name", "Cor", "--password-stdin"},
			"--role is missing"},
		{"no name", "de thee is klaar\n", []string{"user", "add", "--role", "staff", "--password-stdin"},
			"--name is missing"},
		{"long name", "de thee is klaar\n", []string{"user", "add", "--name", strings.Repeat("x", 41), "--role", "staff", "--password-stdin"},
			"the name has 41 characters; use at most 40"},
		{"not a terminal", "de thee is klaar\n", []string{"user", "add", "--name", "Cor", "--role", "staff"},
			"standard input is not a terminal, so the password cannot be asked for; give it on standard input with --password-stdin"},
		{"password not on a terminal", "", []string{"user", "password", "--name", "Anna"},
			"with --password-stdin"},
		{"disable nobody", "", []string{"user", "disable", "--name", "Dirk"},
			`there is no user "Dirk"`},
		{"password of nobody", "de thee is klaar\n", []string{"user", "password", "--name", "Dirk", "--password-stdin"},
			`there is no user "Dirk"`},
		{"unknown subcommand", "", []string{"user", "delete", "--name", "Anna"},
			`there is no "delete"; say add, list, disable or password`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, stderr, err := runWithStdin(t, data, tt.stdin, tt.args...)
			if err == nil {
				t.Fatalf("no error, want one containing %q", tt.want)
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q, want it to contain %q\n%s", err, tt.want, stderr)
			}
			var usage *usageError
			if !errors.As(err, &usage) {
				t.Errorf("error %v is not a usage error (exit status 2)", err)
			}
			if strings.Contains(err.Error()+stderr, "de thee is klaar") {
				t.Errorf("the password is repeated in %q", err.Error()+stderr)
			}
		})
	}
	out, _, err := runWithStdin(t, data, "", "user", "list")
	if err != nil || strings.Count(out, "\n") != 2 {
		t.Errorf("after the refusals the list is (err %v):\n%s\nwant only Anna", err, out)
	}
}

func TestUserHelp(t *testing.T) {
	for _, args := range [][]string{{"user", "--help"}, {"user", "add", "--help"}, {"user", "password", "--help"}} {
		_, stderr, err := runWithStdin(t, t.TempDir(), "", args...)
		if !errors.Is(err, flag.ErrHelp) || !strings.Contains(stderr, "Usage:") {
			t.Errorf("%v: err %v, stderr:\n%s", args, err, stderr)
		}
	}
}

// The kiosk's staff PIN is set from the command line, checked by the
// store, and refused when it is too easy.
func TestKioskPIN(t *testing.T) {
	data := t.TempDir()
	out, _, err := runWithStdin(t, data, "482915\n", "kiosk-pin", "--password-stdin", "--data", data)
	if err != nil || !strings.Contains(out, "PIN is set") {
		t.Fatalf("kiosk-pin: %q, %v", out, err)
	}
	if _, _, err := runWithStdin(t, data, "1234\n", "kiosk-pin", "--password-stdin", "--data", data); err == nil {
		t.Errorf("a 4-digit PIN was accepted")
	}
	db, err := sqlite.Open(context.Background(), filepath.Join(data, "buurtbalie.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	accounts := sqlite.NewAccountService(db)
	if err := accounts.CheckPIN(context.Background(), "482915"); err != nil {
		t.Errorf("the PIN set does not open staff mode: %v", err)
	}
	if err := accounts.CheckPIN(context.Background(), "111111"); err == nil {
		t.Errorf("a wrong PIN opens staff mode")
	}
}
