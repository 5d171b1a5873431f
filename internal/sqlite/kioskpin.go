package sqlite

import (
	"context"
	"fmt"

	"buurtbalie/internal/account"
)

// metaKioskPIN is the meta key holding the bcrypt hash of the PIN that
// opens the kiosk's staff mode.
const metaKioskPIN = "kiosk_pin_hash"

// SetKioskPIN checks pin by the rules for passwords and PINs
// (account.CheckPassword) and stores its hash as the kiosk's staff PIN.
func (s *AccountService) SetKioskPIN(ctx context.Context, pin string) error {
	if err := account.CheckPassword(pin); err != nil {
		return err
	}
	// Hash before the transaction: bcrypt takes a quarter of a second,
	// too long to hold the write lock the kiosk also needs.
	hash, err := account.Hash(pin)
	if err != nil {
		return err
	}
	tx, err := s.db.beginWrite(ctx)
	if err != nil {
		return fmt.Errorf("set kiosk pin: %w", err)
	}
	defer tx.Rollback()
	if err := setMeta(ctx, tx, metaKioskPIN, hash); err != nil {
		return fmt.Errorf("set kiosk pin: %w", err)
	}
	return wrapf(tx.Commit(), "set kiosk pin")
}

// CheckPIN returns nil when pin is the kiosk's staff PIN, and
// account.ErrBadLogin when it is not or no PIN was set. Throttling is the
// caller's (account.Throttle).
func (s *AccountService) CheckPIN(ctx context.Context, pin string) error {
	tx, err := s.db.beginRead(ctx)
	if err != nil {
		return fmt.Errorf("check kiosk pin: %w", err)
	}
	hash, _, err := getMeta(ctx, tx, metaKioskPIN)
	tx.Rollback()
	if err != nil {
		return fmt.Errorf("check kiosk pin: %w", err)
	}
	// Verify takes as long with no hash as with one.
	if !account.Verify(hash, pin) {
		return account.ErrBadLogin
	}
	return nil
}
