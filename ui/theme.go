package ui

import (
	"fmt"
	"image/color"
	"math"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
)

// Extra size names of the kiosk theme, beyond Fyne's own.
const (
	// SizeNameClock is the big clock on the welcome screen.
	SizeNameClock fyne.ThemeSizeName = "buurtbalie-clock"
	// SizeNameTouch is the smallest side of anything a finger taps: 15 mm
	// is about 57 px at 96 dpi, and Fyne scales units with the screen.
	SizeNameTouch fyne.ThemeSizeName = "buurtbalie-touch"
	// SizeNameKey is the side of an on-screen keyboard key: 15 mm at
	// 96 dpi, so ten keys fit across a portrait screen.
	SizeNameKey fyne.ThemeSizeName = "buurtbalie-key"
	// SizeNameKeyText is a letter on a key of the on-screen keyboard. It
	// does not grow with "Grotere letters": keys are large already, and
	// larger letters would push the keyboard's last row off the screen.
	SizeNameKeyText fyne.ThemeSizeName = "buurtbalie-key-text"
	// SizeNameEmergencyText is the emergency line at the foot of every
	// visitor screen: bold, and the size of body text, which it keeps
	// with "Grotere letters" so that it stays one line on a landscape
	// screen and never covers the keyboard's last row.
	SizeNameEmergencyText fyne.ThemeSizeName = "buurtbalie-emergency-text"
	// SizeNamePictogram is a category or action pictogram.
	SizeNamePictogram fyne.ThemeSizeName = "buurtbalie-pictogram"
	// SizeNameBigPictogram is the pictogram of a choice a visitor who
	// does not read makes by the picture alone: the main actions, the
	// topics, waiting or coming back. Its drawing is at least 96 px,
	// about 25 mm on a 15.6" 1920x1080 screen (the drawings fill 20 of
	// their 24 units, the sparest 18).
	SizeNameBigPictogram fyne.ThemeSizeName = "buurtbalie-big-pictogram"
)

// Extra colour names of the kiosk theme.
const (
	// ColorNameNowBackground marks what is on now.
	ColorNameNowBackground fyne.ThemeColorName = "buurtbalie-now"
	// ColorNameCard is the background of a row or a tile.
	ColorNameCard fyne.ThemeColorName = "buurtbalie-card"
	// ColorNameDimmed is the text of what has finished: quieter, but still
	// 7:1 against the background.
	ColorNameDimmed fyne.ThemeColorName = "buurtbalie-dimmed"
)

// DefaultAccent is the house colour when none is configured: a deep teal
// that holds 7:1 contrast with white text.
const DefaultAccent = "#0b5c5c"

// Theme is the kiosk's light, warm, large look. It embeds Fyne's default
// theme and overrides only what the kiosk needs.
type Theme struct {
	fyne.Theme
	accent color.NRGBA
	script script // the visitor's language's script: its font
	larger bool   // the visitor chose "Grotere letters": text a step larger
}

// largerStep is how much larger "Grotere letters" makes the text: one
// step, 24 to 30 for body text.
const largerStep = 1.25

// useLarger makes the theme's text a step larger, or not, and tells
// whether that is a change (the app must then apply the theme again).
func (t *Theme) useLarger(on bool) bool {
	if t.larger == on {
		return false
	}
	t.larger = on
	return true
}

// NewTheme returns the kiosk theme with the house's accent colour.
func NewTheme(accent color.NRGBA) *Theme {
	return &Theme{Theme: theme.DefaultTheme(), accent: accent}
}

// ParseColor reads a colour written as #rrggbb.
func ParseColor(s string) (color.NRGBA, error) {
	s = strings.TrimSpace(s)
	if len(s) != 7 || s[0] != '#' {
		return color.NRGBA{}, fmt.Errorf("%q is not a colour like #0b5c5c", s)
	}
	v, err := strconv.ParseUint(s[1:], 16, 32)
	if err != nil {
		return color.NRGBA{}, fmt.Errorf("%q is not a colour like #0b5c5c", s)
	}
	return color.NRGBA{R: uint8(v >> 16), G: uint8(v >> 8), B: uint8(v), A: 0xff}, nil
}

var (
	warmWhite = color.NRGBA{0xfb, 0xf7, 0xf0, 0xff}
	ink       = color.NRGBA{0x1e, 0x1b, 0x18, 0xff}
	card      = color.NRGBA{0xf1, 0xe9, 0xdc, 0xff}
	dimInk    = color.NRGBA{0x4a, 0x44, 0x3f, 0xff}
	alarm     = color.NRGBA{0xa3, 0x1d, 0x12, 0xff}
)

// Color returns the kiosk's colours; the variant is ignored because the
// kiosk is always light.
func (t *Theme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	switch n {
	case theme.ColorNameBackground, theme.ColorNameMenuBackground, theme.ColorNameOverlayBackground:
		return warmWhite
	case theme.ColorNameForeground, theme.ColorNameForegroundOnWarning:
		return ink
	case theme.ColorNameButton, theme.ColorNameInputBackground, ColorNameCard, theme.ColorNameHeaderBackground:
		return card
	case theme.ColorNamePrimary, theme.ColorNameFocus, theme.ColorNameHyperlink:
		return t.accent
	case theme.ColorNameForegroundOnPrimary, theme.ColorNameForegroundOnError, theme.ColorNameForegroundOnSuccess:
		return warmWhite
	case ColorNameNowBackground, theme.ColorNameSelection:
		return mix(t.accent, warmWhite, 0.18)
	case theme.ColorNameHover, theme.ColorNamePressed:
		return mix(t.accent, card, 0.25)
	case ColorNameDimmed, theme.ColorNamePlaceHolder, theme.ColorNameDisabled:
		return dimInk
	case theme.ColorNameDisabledButton:
		return card
	case theme.ColorNameError:
		return alarm
	case theme.ColorNameSeparator, theme.ColorNameInputBorder:
		return color.NRGBA{0xd8, 0xcc, 0xba, 0xff}
	case theme.ColorNameScrollBar:
		return mix(t.accent, warmWhite, 0.6)
	case theme.ColorNameShadow:
		return color.NRGBA{0, 0, 0, 0x22}
	}
	return t.Theme.Color(n, theme.VariantLight)
}

// Contrast returns the WCAG contrast ratio of two colours, from 1 (none)
// to 21 (black on white).
func Contrast(a, b color.Color) float64 {
	la, lb := luminance(a), luminance(b)
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func luminance(c color.Color) float64 {
	r, g, b, _ := c.RGBA()
	lin := func(v uint32) float64 {
		s := float64(v) / 0xffff
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*lin(r) + 0.7152*lin(g) + 0.0722*lin(b)
}

// CheckAccent refuses an accent colour that white text cannot be read on.
func CheckAccent(accent color.NRGBA) error {
	if c := Contrast(accent, warmWhite); c < 7 {
		return fmt.Errorf("white text on #%02x%02x%02x has a contrast of %.1f:1, and the kiosk needs at least 7:1; choose a darker colour", accent.R, accent.G, accent.B, c)
	}
	return nil
}

// mix returns a blend of a (weight w) over b.
func mix(a, b color.NRGBA, w float64) color.NRGBA {
	m := func(x, y uint8) uint8 { return uint8(float64(x)*w + float64(y)*(1-w) + 0.5) }
	return color.NRGBA{m(a.R, b.R), m(a.G, b.G), m(a.B, b.B), 0xff}
}

// Size returns the kiosk's large sizes: body text 24, headings 44.
func (t *Theme) Size(n fyne.ThemeSizeName) float32 {
	s := t.size(n)
	if t.larger {
		switch n {
		case theme.SizeNameText, theme.SizeNameHeadingText, theme.SizeNameSubHeadingText, theme.SizeNameCaptionText:
			return float32(int(s*largerStep + 0.5))
		}
	}
	return s
}

func (t *Theme) size(n fyne.ThemeSizeName) float32 {
	switch n {
	case theme.SizeNameText:
		return 24
	case theme.SizeNameHeadingText:
		return 44
	case theme.SizeNameSubHeadingText:
		return 32
	case theme.SizeNameCaptionText:
		return 20
	case theme.SizeNamePadding:
		return 8
	case theme.SizeNameInnerPadding:
		return 16
	case theme.SizeNameLineSpacing:
		return 6
	case theme.SizeNameInlineIcon:
		return 32
	case theme.SizeNameScrollBar:
		return 14
	case theme.SizeNameScrollBarSmall:
		return 8
	case theme.SizeNameInputRadius, theme.SizeNameSelectionRadius:
		return 12
	case SizeNameClock:
		return 120
	case SizeNameTouch:
		return 64
	case SizeNameKey:
		return 58
	case SizeNameKeyText:
		return 32
	case SizeNameEmergencyText:
		return 24
	case SizeNamePictogram:
		return 48
	case SizeNameBigPictogram:
		return 128
	}
	return t.Theme.Size(n)
}
