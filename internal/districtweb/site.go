package districtweb

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"buurtbalie/internal/account"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/web"
)

// SiteConfig sets up everything the district serves on its listener.
type SiteConfig struct {
	DB  *postgres.DB
	API *API // the kiosks' API, served under /api/v1/
	// Secure marks the cookies Secure and sends HSTS: set it when the
	// server speaks TLS.
	Secure bool
	// URL is the district's address as kiosks reach it (Pages.URL); ""
	// for the address a page was asked at.
	URL string
	Log *slog.Logger
	// Now is the clock; nil for time.Now.
	Now func() time.Time
	// Throttle slows down guessed passwords; nil for a new one.
	Throttle *account.Throttle
}

// NewSite returns the handler of the district's one listener: the
// kiosks' API under /api/v1/, and elsewhere the staff's pages, served by
// internal/web (its login, sessions, CSRF, throttle, layout and
// languages) with the district's own pages added: the houses, the
// figures of all houses or one, the partner directory, the referrals
// between houses, and web's users and audit log.
func NewSite(cfg SiteConfig) (http.Handler, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Throttle == nil {
		cfg.Throttle = account.NewThrottle()
	}
	if cfg.API.Throttle == nil {
		cfg.API.Throttle = cfg.Throttle // one throttle for the process
	}
	cat, err := Catalogue()
	if err != nil {
		return nil, fmt.Errorf("district pages: %w", err)
	}
	accounts := cfg.DB.Accounts()
	accounts.Now = cfg.Now
	pages := &Pages{Houses: cfg.DB, Partners: cfg.DB, URL: cfg.URL, Secure: cfg.Secure}
	srv := web.New(web.Config{
		Secure:       cfg.Secure,
		Now:          cfg.Now,
		Database:     health{cfg.DB},
		FigureHouses: Figures{Store: cfg.DB, District: cfg.API.District},
		Home:         "/houses",
		Extensions:   []web.Extension{pages.Extension()},
	}, nil, accounts, cfg.Throttle, cat, cfg.Log)
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", cfg.API.Handler())
	mux.Handle("/", srv.Handler())
	return mux, nil
}

// health is what /healthz, and each staff page for its disk warning,
// asks: whether PostgreSQL answers, which one round trip tells.
type health struct{ db *postgres.DB }

func (h health) Health(ctx context.Context) error { return h.db.Ping(ctx) }
