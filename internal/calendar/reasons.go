package calendar

import (
	"errors"

	"buurtbalie/internal/programme"
)

// Reasons are every Issue.Reason this package gives, and every reason
// ErrorReason returns, so that the catalogue can have a text
// ("import." + reason) for each; a test keeps the list complete.
var Reasons = []string{
	// Issues: events skipped or adjusted.
	"not_utf8", "no_uid", "duplicate_uid", "cut", "no_start", "out_of_range",
	"mixed_dates", "end_before_start", "too_long", "unknown_zone", "no_title",
	"series_cancelled", "no_end", "several_rules", "too_frequent", "too_many",
	"range_ignored", "over_midnight", "invalid", "never_repeats", "no_instance", "summer_time",
	// Errors: a file refused whole.
	"too_large", "unknown_format", "malformed", "bad_value", "bad_header",
	"too_complex", "too_many_activities", "mixed_encoding", "other",
}

// ErrorReason is the stable key of why err refused a file, for
// translation ("import." + reason): the sentinel a *ParseError wraps, or
// the reason of a *programme.InvalidError ("web.invalid." + reason has the
// text), or "other".
func ErrorReason(err error) string {
	var inv *programme.InvalidError
	switch {
	case errors.Is(err, ErrTooLarge):
		return "too_large"
	case errors.Is(err, ErrUnknownFormat):
		return "unknown_format"
	case errors.Is(err, ErrMalformed):
		return "malformed"
	case errors.Is(err, ErrHeader):
		return "bad_header"
	case errors.Is(err, ErrTooComplex):
		return "too_complex"
	case errors.Is(err, ErrTooMany):
		return "too_many_activities"
	case errors.Is(err, ErrEncoding):
		return "mixed_encoding"
	case errors.As(err, &inv):
		return inv.Reason
	case errors.Is(err, ErrValue):
		return "bad_value"
	}
	return "other"
}
