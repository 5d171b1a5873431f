// Package prompt reads a new password or PIN for a command-line program:
// from the first line of standard input, for scripts, or asked twice on
// the terminal without showing it.
//
//	pw, err := prompt.Password(ctx, os.Stdin, os.Stderr, "Anna", fromStdin)
//	if errors.Is(err, prompt.ErrRefused) { … the user's to put right: exit 2 }
//
// The password is checked against account.CheckPassword before it is
// returned.
package prompt

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"

	"buurtbalie/internal/account"
)

// ErrRefused is wrapped by the errors of input that gives no password:
// an empty line, a password the rules refuse, no terminal to ask on, or
// three tries without one. The message says what to do.
var ErrRefused = errors.New("no password")

// refused is an error the user can put right.
type refused struct{ msg string }

func (e *refused) Error() string { return e.msg }
func (e *refused) Unwrap() error { return ErrRefused }

func refusef(format string, args ...any) error { return &refused{fmt.Sprintf(format, args...)} }

// Tries is how often the terminal asks before giving up.
const Tries = 3

// Password returns a new password or PIN for name: from the first line
// of in with fromStdin, otherwise asked twice on the terminal in is,
// with the prompts and complaints on out. Ctrl-C (which cancels ctx)
// gives up at once and turns echo back on.
func Password(ctx context.Context, in io.Reader, out io.Writer, name string, fromStdin bool) (string, error) {
	if fromStdin {
		// A password is short; do not read a file piped in by mistake.
		line, err := bufio.NewReader(io.LimitReader(in, 1024)).ReadString('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return "", fmt.Errorf("read the password from standard input: %w", err)
		}
		pw := strings.TrimSuffix(strings.TrimSuffix(line, "\n"), "\r")
		if pw == "" {
			return "", refusef("--password-stdin: standard input is empty; give the password or PIN on its first line")
		}
		if err := account.CheckPassword(pw); err != nil {
			return "", refusef("%v", err)
		}
		return pw, nil
	}
	f, ok := in.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return "", refusef("standard input is not a terminal, so the password cannot be asked for; give it on standard input with --password-stdin")
	}
	fd := int(f.Fd())
	for range Tries {
		pw, err := secret(ctx, fd, out, fmt.Sprintf("Password or PIN for %s: ", name))
		if err != nil {
			return "", err
		}
		if err := account.CheckPassword(pw); err != nil {
			fmt.Fprintf(out, "%v\n", err)
			continue
		}
		again, err := secret(ctx, fd, out, "The same again: ")
		if err != nil {
			return "", err
		}
		if again != pw {
			fmt.Fprintln(out, "The two differ; try again.")
			continue
		}
		return pw, nil
	}
	return "", refusef("no password after %d tries", Tries)
}

// secret prompts on out and reads a line from the terminal fd without
// echo. The read left waiting after Ctrl-C ends with the process, which
// exits right after.
func secret(ctx context.Context, fd int, out io.Writer, prompt string) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", fmt.Errorf("terminal: %w", err)
	}
	fmt.Fprint(out, prompt)
	type result struct {
		b   []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		b, err := term.ReadPassword(fd)
		ch <- result{b, err}
	}()
	select {
	case r := <-ch:
		fmt.Fprintln(out)
		if r.err != nil {
			return "", fmt.Errorf("read the password: %w", r.err)
		}
		return string(r.b), nil
	case <-ctx.Done():
		term.Restore(fd, state)
		fmt.Fprintln(out)
		return "", fmt.Errorf("stopped before a password was given; nothing changed: %w", ctx.Err())
	}
}
