// Package config reads Buurtbalie's settings: command-line flags with
// defaults, plus an optional config file that uses the flags' own names.
// The file feeds the same flag.FlagSet, so a value is checked the same way
// wherever it comes from, and a flag on the command line wins over the
// file.
//
// A config file:
//
//	# /etc/buurtbalie/buurtbalie.conf
//	house-name = Buurthuis De Linde
//	idle = 2m
//	accent = #7a3b00
package config

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// LineError is a problem on one line of a config file.
type LineError struct {
	File string
	Line int
	Err  error
}

func (e *LineError) Error() string { return fmt.Sprintf("%s, line %d: %v", e.File, e.Line, e.Err) }

// Unwrap returns the problem itself.
func (e *LineError) Unwrap() error { return e.Err }

// ErrUnknownSetting is wrapped by a LineError for a name that is no flag.
var ErrUnknownSetting = errors.New("unknown setting")

// ApplyFile reads the config file at path into fs, skipping settings that
// were given on the command line (fs must already be parsed). Settings the
// subcommand does not have are refused, so a typo is not silently ignored;
// names listed in shared are settings of other subcommands and are passed
// over.
func ApplyFile(fs *flag.FlagSet, path string, shared map[string]bool) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("config file: %w", err)
	}
	defer f.Close()
	return Apply(fs, f, path, shared)
}

// Apply reads settings from r (named name in messages) into fs.
func Apply(fs *flag.FlagSet, r io.Reader, name string, shared map[string]bool) error {
	given := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { given[f.Name] = true })
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		key, value, ok := strings.Cut(line, "=")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		if !ok || key == "" {
			return &LineError{name, n, fmt.Errorf("write a setting as name = value, not %q", line)}
		}
		if fs.Lookup(key) == nil {
			if shared[key] {
				continue
			}
			return &LineError{name, n, fmt.Errorf("%w %q (run with --help to see the settings)", ErrUnknownSetting, key)}
		}
		if given[key] {
			continue
		}
		if err := fs.Set(key, unquote(value)); err != nil {
			return &LineError{name, n, fmt.Errorf("%s: %w", key, err)}
		}
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' && s[len(s)-1] == '"' || s[0] == '\'' && s[len(s)-1] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

// DefaultFile returns the config file used when --config is not given:
// $XDG_CONFIG_HOME/buurtbalie/buurtbalie.conf (or ~/.config/…) if it
// exists, else /etc/buurtbalie/buurtbalie.conf if that exists, else "".
func DefaultFile(getenv func(string) string) string {
	var candidates []string
	if dir := getenv("XDG_CONFIG_HOME"); dir != "" {
		candidates = append(candidates, filepath.Join(dir, "buurtbalie", "buurtbalie.conf"))
	} else if home := getenv("HOME"); home != "" {
		candidates = append(candidates, filepath.Join(home, ".config", "buurtbalie", "buurtbalie.conf"))
	}
	candidates = append(candidates, "/etc/buurtbalie/buurtbalie.conf")
	for _, c := range candidates {
		if _, err := os.Stat(c); err == nil {
			return c
		}
	}
	return ""
}

// DefaultDataDir returns where the database lives when --data is not
// given: $XDG_DATA_HOME/buurtbalie, or ~/.local/share/buurtbalie.
func DefaultDataDir(getenv func(string) string) string {
	if dir := getenv("XDG_DATA_HOME"); dir != "" {
		return filepath.Join(dir, "buurtbalie")
	}
	home := getenv("HOME")
	if home == "" {
		home = "."
	}
	return filepath.Join(home, ".local", "share", "buurtbalie")
}
