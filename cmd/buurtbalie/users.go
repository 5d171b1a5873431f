package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"
	"text/tabwriter"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/prompt"
	"buurtbalie/internal/sqlite"
)

const userUsage = `Usage:
  buurtbalie user add --name NAME --role staff|volunteer [--password-stdin]
  buurtbalie user list
  buurtbalie user disable --name NAME
  buurtbalie user password --name NAME [--password-stdin]

The password or PIN is asked for twice on the terminal, without showing
it; scripts give it on the first line of standard input with
--password-stdin. Run "buurtbalie user add --help" for the flags.
`

// runUser manages the accounts of volunteers and staff. What it changes
// goes to the audit log with no actor: whoever can run it can read the
// database anyway.
func (m *Main) runUser(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(m.Stderr, userUsage)
		return usagef("user: say what to do: add, list, disable or password")
	}
	sub, args := args[0], args[1:]
	switch sub {
	case "add":
		return m.userAdd(ctx, args)
	case "list":
		return m.userList(ctx, args)
	case "disable":
		return m.userDisable(ctx, args)
	case "password":
		return m.userPassword(ctx, args)
	case "help", "-h", "-help", "--help":
		fmt.Fprint(m.Stderr, userUsage)
		return flag.ErrHelp
	}
	fmt.Fprint(m.Stderr, userUsage)
	return usagef("user: there is no %q; say add, list, disable or password", sub)
}

// userCmd is a user subcommand's flags and the database it works on.
type userCmd struct {
	name, role string // the account's, when the subcommand takes them
	fromStdin  bool   // --password-stdin
	loc        *time.Location
	db         *sqlite.DB
	accounts   *sqlite.AccountService
}

// Which flags a user subcommand hc.accounts.
const (
	withName = 1 << iota
	withRole
	withPassword
)

// openUserCmd parses a user subcommand's flags and opens the database;
// the caller closes c.db.
func (m *Main) openUserCmd(ctx context.Context, cmd, synopsis string, kinds int, args []string) (*userCmd, error) {
	s := m.newSettings(cmd, synopsis, 0)
	var c userCmd
	if kinds&withName != 0 {
		s.fs.StringVar(&c.name, "name", "", fmt.Sprintf("the name they log in with (1 to %d characters; upper and lower case are the same)", account.MaxName))
	}
	if kinds&withRole != 0 {
		s.fs.StringVar(&c.role, "role", "", "staff (also keeps the programme and the accounts) or volunteer (follows questions up)")
	}
	if kinds&withPassword != 0 {
		s.fs.BoolVar(&c.fromStdin, "password-stdin", false, "read the password or PIN from the first line of standard input instead of asking, for scripts")
	}
	if err := s.parse(args, m.Getenv); err != nil {
		return nil, err
	}
	if kinds&withName != 0 {
		c.name = account.NormaliseName(c.name)
		if c.name == "" {
			return nil, usagef("%s: --name is missing; give the name they log in with, e.g. --name Anna", cmd)
		}
		if err := account.CheckName(c.name); err != nil {
			return nil, usagef("%s: --name: %w", cmd, err)
		}
	}
	if kinds&withRole != 0 {
		if strings.TrimSpace(c.role) == "" {
			return nil, usagef("%s: --role is missing; say --role volunteer or --role staff", cmd)
		}
		r, err := account.ParseRole(c.role)
		if err != nil {
			return nil, usagef("%s: --role: %w", cmd, err)
		}
		c.role = string(r)
	}
	db, err := sqlite.Open(ctx, filepath.Join(s.dataDir, "buurtbalie.db"))
	if err != nil {
		return nil, err
	}
	c.loc, c.db, c.accounts = s.location(), db, sqlite.NewAccountService(db)
	return &c, nil
}

// user returns the user named by --name, or a usage error when there is
// none.
func (c *userCmd) user(ctx context.Context, cmd string) (account.User, error) {
	u, err := c.accounts.User(ctx, c.name)
	if errors.Is(err, account.ErrNotFound) {
		return u, usagef("%s: there is no user %q; \"buurtbalie user list\" shows who there is", cmd, c.name)
	}
	return u, err
}

func (m *Main) userAdd(ctx context.Context, args []string) error {
	const cmd = "user add"
	c, err := m.openUserCmd(ctx, cmd, "buurtbalie user add --name NAME --role staff|volunteer [flags]", withName|withRole|withPassword, args)
	if err != nil {
		return err
	}
	defer c.db.Close()
	// Look before asking for a password that would be thrown away.
	if u, err := c.accounts.User(ctx, c.name); err == nil {
		return usagef("%s: %w: there is already a user %q; choose another name, such as one with a surname", cmd, account.ErrNameTaken, u.Name)
	} else if !errors.Is(err, account.ErrNotFound) {
		return err
	}
	pw, err := m.readPassword(ctx, cmd, c.name, c.fromStdin)
	if err != nil {
		return err
	}
	u, err := c.accounts.CreateUser(ctx, c.name, account.Role(c.role), pw)
	if errors.Is(err, account.ErrInvalid) || errors.Is(err, account.ErrNameTaken) {
		return usagef("%s: %w", cmd, err)
	}
	if err != nil {
		return err
	}
	if err := c.accounts.Audit(ctx, account.Entry{Action: account.ActionUserAdded, Detail: fmt.Sprintf("%s (%s), on the command line", u.Name, u.Role)}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "added %s %s\n", u.Role, u.Name)
	return nil
}

func (m *Main) userList(ctx context.Context, args []string) error {
	c, err := m.openUserCmd(ctx, "user list", "buurtbalie user list [flags]", 0, args)
	if err != nil {
		return err
	}
	defer c.db.Close()
	users, err := c.accounts.Users(ctx)
	if err != nil {
		return err
	}
	if len(users) == 0 {
		fmt.Fprintln(m.Stdout, "no users yet; add one with: buurtbalie user add --name NAME --role staff")
		return nil
	}
	w := tabwriter.NewWriter(m.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "NAME\tROLE\tSTATE\tADDED")
	for _, u := range users {
		state := "active"
		if u.Disabled {
			state = "disabled"
		}
		fmt.Fprintf(w, "%s\t%s\t%s\t%s\n", u.Name, u.Role, state, u.Created.In(c.loc).Format("2006-01-02"))
	}
	return w.Flush()
}

func (m *Main) userDisable(ctx context.Context, args []string) error {
	const cmd = "user disable"
	c, err := m.openUserCmd(ctx, cmd, "buurtbalie user disable --name NAME [flags]", withName, args)
	if err != nil {
		return err
	}
	defer c.db.Close()
	u, err := c.user(ctx, cmd)
	if err != nil {
		return err
	}
	if err := c.accounts.DisableUser(ctx, u.Name); err != nil {
		return err
	}
	if err := c.accounts.Audit(ctx, account.Entry{Action: account.ActionUserDisabled, Detail: u.Name + ", on the command line"}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "disabled %s; they are logged out everywhere\n", u.Name)
	return nil
}

func (m *Main) userPassword(ctx context.Context, args []string) error {
	const cmd = "user password"
	c, err := m.openUserCmd(ctx, cmd, "buurtbalie user password --name NAME [flags]", withName|withPassword, args)
	if err != nil {
		return err
	}
	defer c.db.Close()
	u, err := c.user(ctx, cmd)
	if err != nil {
		return err
	}
	pw, err := m.readPassword(ctx, cmd, u.Name, c.fromStdin)
	if err != nil {
		return err
	}
	err = c.accounts.SetPassword(ctx, u.Name, pw)
	if errors.Is(err, account.ErrInvalid) {
		return usagef("%s: %w", cmd, err)
	}
	if err != nil {
		return err
	}
	if err := c.accounts.Audit(ctx, account.Entry{Action: account.ActionPasswordChanged, Detail: u.Name + ", on the command line"}); err != nil {
		return err
	}
	fmt.Fprintf(m.Stdout, "changed the password of %s; they are logged out everywhere\n", u.Name)
	return nil
}

// readPassword returns a new password or PIN for name, checked against
// the rules: from the first line of Stdin with --password-stdin,
// otherwise asked twice on the terminal without echo.
func (m *Main) readPassword(ctx context.Context, cmd, name string, fromStdin bool) (string, error) {
	pw, err := prompt.Password(ctx, m.Stdin, m.Stderr, name, fromStdin)
	if errors.Is(err, prompt.ErrRefused) {
		return "", usagef("%s: %v", cmd, err)
	}
	if err != nil {
		return "", fmt.Errorf("%s: %w", cmd, err)
	}
	return pw, nil
}

// runKioskPIN sets the PIN that opens the kiosk's staff mode (a 3 s press
// on the house name). It asks twice without echo, or reads it with
// --password-stdin; it is stored hashed.
func (m *Main) runKioskPIN(ctx context.Context, args []string) error {
	const cmd = "kiosk-pin"
	c, err := m.openUserCmd(ctx, cmd, "buurtbalie kiosk-pin [--password-stdin] [flags]", withPassword, args)
	if err != nil {
		return err
	}
	defer c.db.Close()
	pin, err := m.readPassword(ctx, cmd, "the kiosk's staff mode", c.fromStdin)
	if err != nil {
		return err
	}
	if err := c.accounts.SetKioskPIN(ctx, pin); err != nil {
		if errors.Is(err, account.ErrInvalid) {
			return usagef("%s: %w", cmd, err)
		}
		return err
	}
	if err := c.accounts.Audit(ctx, account.Entry{Action: "kiosk_pin_set", Detail: "on the command line"}); err != nil {
		return err
	}
	fmt.Fprintln(m.Stdout, "the kiosk's staff PIN is set")
	return nil
}
