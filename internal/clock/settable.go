package clock

import (
	"sync"
	"time"
)

// Settable is a clock that moves only when told: for the tests of what
// depends on the time, where a house's kiosk, its web app and the
// district share one. It is safe for concurrent use.
type Settable struct {
	mu sync.Mutex
	t  time.Time
}

// NewSettable returns a clock that says t until told otherwise.
func NewSettable(t time.Time) *Settable { return &Settable{t: t} }

// Now returns the clock's time.
func (c *Settable) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Add moves the clock on by d.
func (c *Settable) Add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// Set sets the clock to t.
func (c *Settable) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}
