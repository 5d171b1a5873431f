package sqlite_test

import (
	"context"
	"errors"
	"testing"

	"buurtbalie/internal/account"
	"buurtbalie/internal/sqlite"
)

func TestKioskPIN(t *testing.T) {
	ctx := context.Background()
	db, _ := open(t)
	as := sqlite.NewAccountService(db)

	if err := as.CheckPIN(ctx, "482916"); !errors.Is(err, account.ErrBadLogin) {
		t.Errorf("check with no PIN set: got %v, want ErrBadLogin", err)
	}
	for _, bad := range []string{"", "12345", "123456", "000000"} {
		if err := as.SetKioskPIN(ctx, bad); !errors.Is(err, account.ErrInvalid) {
			t.Errorf("SetKioskPIN(%q): got %v, want ErrInvalid", bad, err)
		}
	}
	if err := as.SetKioskPIN(ctx, "482916"); err != nil {
		t.Fatalf("SetKioskPIN: %v", err)
	}
	tests := []struct {
		pin  string
		want error
	}{
		{"482916", nil},
		{"482917", account.ErrBadLogin},
		{"", account.ErrBadLogin},
	}
	for _, tt := range tests {
		t.Run(tt.pin, func(t *testing.T) {
			if err := as.CheckPIN(ctx, tt.pin); !errors.Is(err, tt.want) {
				t.Errorf("CheckPIN(%q): got %v, want %v", tt.pin, err, tt.want)
			}
		})
	}

	// A new PIN replaces the old one.
	if err := as.SetKioskPIN(ctx, "739205"); err != nil {
		t.Fatalf("SetKioskPIN again: %v", err)
	}
	if err := as.CheckPIN(ctx, "482916"); !errors.Is(err, account.ErrBadLogin) {
		t.Errorf("old PIN after change: got %v, want ErrBadLogin", err)
	}
	if err := as.CheckPIN(ctx, "739205"); err != nil {
		t.Errorf("new PIN: got %v, want nil", err)
	}
}
