// Package catalogue gives every visible string in the visitor's language,
// from JSON message files (one per language, named by its tag: nl.json,
// en.json). The kiosk switches language per visitor, so unlike Fyne's lang
// package it keeps one Translator per language and chooses at every call:
//
//	cat, err := catalogue.Load(assets.Messages, "i18n", "nl")
//	en := cat.For("en")
//	en.T("welcome.today")                          // "What's on today?"
//	en.Tf("list.empty", map[string]any{"Day": d}) // with template data
//
// A missing message falls back to the default language, then to its ID, and
// is remembered so tests can insist that nothing is missing.
package catalogue

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// Catalogue holds the messages of every language.
type Catalogue struct {
	bundle      *i18n.Bundle
	defaultLang string
	langs       []string // default first, then alphabetical
	translators map[string]*Translator

	mu      sync.Mutex
	missing map[string]bool // "lang:id"

	// shipped are the messages as the files give them: language → ID →
	// plural form ("other" for a plain message) → text.
	shipped map[string]map[string]map[string]string
	// corrected are staff's corrections over them, one localizer per
	// language, swapped whole when staff save one.
	corrected atomic.Pointer[map[string]*i18n.Localizer]
	// corrections counts the times corrections were set, so what was
	// worked out from the messages is worked out again.
	corrections atomic.Uint64

	// easternArabic writes numbers on Arabic screens in Arabic-Indic
	// digits (٠١٢…). Off by default: Arabic readers in the Netherlands
	// see Western digits every day, on clocks, buses and letters.
	easternArabic bool
}

// UseEasternArabicDigits makes Arabic times, dates, amounts and counts use
// Arabic-Indic digits (١٢:٣٠) instead of Western ones (12:30), for a house
// whose visitors read those better. Call it before the kiosk starts.
func (c *Catalogue) UseEasternArabicDigits(on bool) { c.easternArabic = on }

// digits writes s's Western digits as this language's: unchanged, except
// Arabic when the house chose Arabic-Indic digits.
func (t *Translator) digits(s string) string {
	if t.lang != "ar" || !t.cat.easternArabic {
		return s
	}
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return '٠' + (r - '0')
		}
		return r
	}, s)
}

// Load reads every *.json file in dir of fsys. defaultLang must be one of
// them: it is the language the kiosk starts in and the fallback for
// messages another language lacks.
func Load(fsys fs.FS, dir, defaultLang string) (*Catalogue, error) {
	return LoadLayers(defaultLang, Layer{FS: fsys, Dir: dir})
}

// Layer is one set of translation files: every *.json file in Dir of FS.
type Layer struct {
	FS  fs.FS
	Dir string
}

// LoadLayers reads the layers in order, as Load reads one: a message of
// a later layer takes the place of an earlier one's with its ID. The
// languages are the last layer's, and of the earlier layers only the
// files of those languages are read: the district's pages lay their
// Dutch and English over the kiosk's, without the kiosk's other five.
func LoadLayers(defaultLang string, layers ...Layer) (*Catalogue, error) {
	base, err := language.Parse(defaultLang)
	if err != nil {
		return nil, fmt.Errorf("default language %q is not a language tag like nl or en", defaultLang)
	}
	if len(layers) == 0 {
		return nil, errors.New("no translation files to load")
	}
	c := &Catalogue{
		bundle:      i18n.NewBundle(base),
		defaultLang: base.String(),
		translators: map[string]*Translator{},
		missing:     map[string]bool{},
		shipped:     map[string]map[string]map[string]string{},
	}
	c.bundle.RegisterUnmarshalFunc("json", json.Unmarshal)
	last := layers[len(layers)-1]
	files, err := fs.Glob(last.FS, path.Join(last.Dir, "*.json"))
	if err != nil {
		return nil, err
	}
	for _, f := range files {
		name := path.Base(f)
		for i, l := range layers {
			mf, err := c.bundle.LoadMessageFileFS(l.FS, path.Join(l.Dir, name))
			if errors.Is(err, fs.ErrNotExist) && i < len(layers)-1 {
				continue // a language the earlier layer has no texts in
			}
			if err != nil {
				return nil, fmt.Errorf("translation file %s: %w", path.Join(l.Dir, name), err)
			}
			lang := mf.Tag.String()
			if c.shipped[lang] == nil {
				c.langs = append(c.langs, lang)
				c.shipped[lang] = map[string]map[string]string{}
			}
			for _, m := range mf.Messages {
				c.shipped[lang][m.ID] = forms(m)
			}
		}
	}
	if !slices.Contains(c.langs, c.defaultLang) {
		return nil, fmt.Errorf("there is no translation file for the default language %q (have %s)", defaultLang, strings.Join(c.langs, ", "))
	}
	slices.SortFunc(c.langs, func(a, b string) int {
		switch {
		case a == c.defaultLang:
			return -1
		case b == c.defaultLang:
			return 1
		}
		return strings.Compare(a, b)
	})
	for _, l := range c.langs {
		c.translators[l] = &Translator{cat: c, lang: l, loc: i18n.NewLocalizer(c.bundle, l)}
	}
	return c, nil
}

// Languages returns the language tags that have a catalogue, default first.
func (c *Catalogue) Languages() []string { return slices.Clone(c.langs) }

// Default returns the default language tag.
func (c *Catalogue) Default() string { return c.defaultLang }

// Has reports whether lang has a catalogue.
func (c *Catalogue) Has(lang string) bool { return c.translators[lang] != nil }

// For returns the translator for lang, or the default language's when lang
// has no catalogue.
func (c *Catalogue) For(lang string) *Translator {
	if t, ok := c.translators[lang]; ok {
		return t
	}
	return c.translators[c.defaultLang]
}

// Missing returns the messages asked for but not found, as "lang:id",
// sorted.
func (c *Catalogue) Missing() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for k := range c.missing {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (c *Catalogue) noteMissing(lang, id string) {
	c.mu.Lock()
	c.missing[lang+":"+id] = true
	c.mu.Unlock()
}

// forms are a message's texts by plural form; a plain message has only
// "other".
func forms(m *i18n.Message) map[string]string {
	out := map[string]string{}
	for form, text := range map[string]string{"zero": m.Zero, "one": m.One, "two": m.Two, "few": m.Few, "many": m.Many, "other": m.Other} {
		if text != "" {
			out[form] = text
		}
	}
	return out
}

// Correction is staff's own wording of one shipped message in one
// language: Form is the plural form it replaces ("other" for a plain
// message).
type Correction struct {
	Lang, ID, Form, Text string
}

// Shipped returns a message's texts as its file gives them, by plural
// form, and whether the language has it.
func (c *Catalogue) Shipped(lang, id string) (map[string]string, bool) {
	f, ok := c.shipped[lang][id]
	return f, ok
}

// IDs returns the IDs of the default language's messages, sorted.
func (c *Catalogue) IDs() []string {
	var ids []string
	for id := range c.shipped[c.defaultLang] {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// SetCorrections makes every translator give staff's corrections instead
// of the shipped messages they replace; a plural message keeps the forms
// not corrected. It replaces the corrections set before, safely while
// other goroutines translate. A correction of a message or language the
// files lack is left out.
func (c *Catalogue) SetCorrections(cs []Correction) {
	byMsg := map[string]map[string]map[string]string{} // lang → id → forms
	for _, x := range cs {
		shipped, ok := c.shipped[x.Lang][x.ID]
		if !ok {
			continue
		}
		if byMsg[x.Lang] == nil {
			byMsg[x.Lang] = map[string]map[string]string{}
		}
		f := byMsg[x.Lang][x.ID]
		if f == nil {
			f = maps.Clone(shipped)
			byMsg[x.Lang][x.ID] = f
		}
		if _, ok := f[x.Form]; ok {
			f[x.Form] = x.Text
		}
	}
	locs := map[string]*i18n.Localizer{}
	for lang, msgs := range byMsg {
		tag, err := language.Parse(lang)
		if err != nil {
			continue
		}
		b := i18n.NewBundle(tag)
		for id, f := range msgs {
			b.AddMessages(tag, &i18n.Message{ID: id, Zero: f["zero"], One: f["one"], Two: f["two"], Few: f["few"], Many: f["many"], Other: f["other"]})
		}
		locs[lang] = i18n.NewLocalizer(b, lang)
	}
	// The localizers first, then the generation: a translator that reads
	// the new generation (plain, IDOf) then also reads these localizers.
	c.corrected.Store(&locs)
	c.corrections.Add(1)
}

// localize asks staff's corrections first, then the shipped messages.
func (t *Translator) localize(cfg *i18n.LocalizeConfig) (string, error) {
	if locs := t.cat.corrected.Load(); locs != nil {
		if loc := (*locs)[t.lang]; loc != nil {
			if msg, err := loc.Localize(cfg); err == nil && msg != "" {
				return msg, nil
			}
		}
	}
	return t.loc.Localize(cfg)
}

// Translator gives messages in one language.
type Translator struct {
	cat  *Catalogue
	lang string
	loc  *i18n.Localizer
	// said maps the text of each plain message, as it reads now (staff's
	// corrections included), to its ID; built when first asked.
	said atomic.Pointer[saidIndex]
	// plainMsgs keeps the messages without data once found.
	plainMsgs atomic.Pointer[plainCache]
}

type saidIndex struct {
	corrections uint64 // the catalogue's corrections it was built with
	ids         map[string]string
}

// IDOf returns the ID of the plain message (one with no plural forms and
// nothing filled in) that reads text in this language: what a recording
// of that message replaces when the screen is read aloud.
func (t *Translator) IDOf(text string) (string, bool) {
	gen := t.cat.corrections.Load()
	idx := t.said.Load()
	if idx == nil || idx.corrections != gen {
		idx = &saidIndex{corrections: gen, ids: map[string]string{}}
		for id, forms := range t.cat.shipped[t.lang] {
			if len(forms) != 1 || strings.Contains(forms["other"], "{{") {
				continue
			}
			if msg, err := t.localize(&i18n.LocalizeConfig{MessageID: id}); err == nil {
				if _, dup := idx.ids[msg]; !dup || id < idx.ids[msg] {
					idx.ids[msg] = id
				}
			}
		}
		t.said.Store(idx)
	}
	id, ok := idx.ids[text]
	return id, ok
}

// Lang returns the language tag, e.g. "nl".
func (t *Translator) Lang() string { return t.lang }

// T returns the message id.
func (t *Translator) T(id string) string {
	if msg, ok := t.plain(id); ok {
		return msg
	}
	return t.Tf(id, nil)
}

// plainCache holds the messages without data that were found, as they
// read with the catalogue's corrections of generation corrections: a
// volunteer's page asks for some sixty of them, and go-i18n matches the
// language again for each.
type plainCache struct {
	corrections uint64
	msgs        sync.Map // id → string
}

// plain returns message id without data, and whether it was found. A
// message that is missing is not kept, so that it is noted as missing
// each time it is asked for.
func (t *Translator) plain(id string) (string, bool) {
	gen := t.cat.corrections.Load() // before localize: see SetCorrections
	c := t.plainMsgs.Load()
	if c == nil || c.corrections != gen {
		c = &plainCache{corrections: gen}
		t.plainMsgs.Store(c)
	}
	if msg, ok := c.msgs.Load(id); ok {
		return msg.(string), true
	}
	msg, err := t.localize(&i18n.LocalizeConfig{MessageID: id})
	if err != nil || msg == "" {
		return "", false
	}
	c.msgs.Store(id, msg)
	return msg, true
}

// Tf returns the message id with data filled into its template
// ({{.Name}}).
func (t *Translator) Tf(id string, data map[string]any) string {
	msg, err := t.localize(&i18n.LocalizeConfig{MessageID: id, TemplateData: data})
	if err != nil {
		t.cat.noteMissing(t.lang, id)
		if msg == "" {
			return id
		}
	}
	return msg
}

// Tn returns the message id in the plural form for n ("1 minuut", "2
// minuten"; Polish and Arabic have more forms than two), with n in the
// template as {{.Count}} besides data.
func (t *Translator) Tn(id string, n int, data map[string]any) string {
	all := map[string]any{"Count": t.digits(strconv.Itoa(n))}
	for k, v := range data {
		all[k] = v
	}
	msg, err := t.localize(&i18n.LocalizeConfig{MessageID: id, PluralCount: n, TemplateData: all})
	if err != nil {
		t.cat.noteMissing(t.lang, id)
		if msg == "" {
			return id
		}
	}
	return msg
}

// Lookup returns the message id if this language or the default language
// has it, without counting it as missing: for names that only some data
// has, such as built-in category names.
func (t *Translator) Lookup(id string) (string, bool) {
	if msg, ok := t.plain(id); ok {
		return msg, true
	}
	msg, err := t.localize(&i18n.LocalizeConfig{MessageID: id})
	return msg, msg != "" && (err == nil || t.cat.hasDefault(id))
}

func (c *Catalogue) hasDefault(id string) bool {
	_, err := c.translators[c.defaultLang].loc.Localize(&i18n.LocalizeConfig{MessageID: id})
	return err == nil
}

// Name names a thing visitors pick from (a category, a topic) in this
// language: names holds the names staff gave, per language, and wins; the
// catalogue names the built-in ones (kind + "." + key, e.g. "topic.geld")
// in every language staff did not name; then the name in the default
// language, then the key.
func (t *Translator) Name(kind, key string, names map[string]string) string {
	if n := names[t.lang]; n != "" {
		return n
	}
	if name, ok := t.Lookup(kind + "." + key); ok {
		return name
	}
	if n := names[t.cat.defaultLang]; n != "" {
		return n
	}
	return key
}

// BuiltIn reports whether the catalogue names kind's key itself (a
// built-in category or topic), so staff need not.
func (t *Translator) BuiltIn(kind, key string) bool {
	_, ok := t.Lookup(kind + "." + key)
	return ok
}

// Weekday returns the name of the day, e.g. "maandag".
func (t *Translator) Weekday(d time.Weekday) string {
	return t.T("weekday." + strings.ToLower(d.String()))
}

// Month returns the name of the month, e.g. "november".
func (t *Translator) Month(m time.Month) string {
	return t.T("month." + strings.ToLower(m.String()))
}

// Date writes a day as people say it: "maandag 23 november".
func (t *Translator) Date(y int, m time.Month, d int) string {
	wd := time.Date(y, m, d, 12, 0, 0, 0, time.UTC).Weekday()
	return t.Tf("format.date", map[string]any{"Weekday": t.Weekday(wd), "Day": t.digits(strconv.Itoa(d)), "Month": t.Month(m)})
}

// Clock writes a time of day: "14:05".
func (t *Translator) Clock(at time.Time) string { return t.digits(at.Format("15:04")) }

// Number writes a whole number as people of this language read it:
// 510.519 in Dutch, 510,519 in English.
func (t *Translator) Number(n int) string {
	digits := strconv.Itoa(n)
	sign := ""
	if n < 0 {
		sign, digits = "-", digits[1:]
	}
	sep := t.T("format.thousands")
	var b strings.Builder
	for i, d := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteString(sep)
		}
		b.WriteRune(d)
	}
	return t.digits(sign + b.String())
}

// Cost writes an amount in euro cents, or "gratis" for 0.
func (t *Translator) Cost(cents int) string {
	if cents == 0 {
		return t.T("cost.free")
	}
	amount := t.digits(fmt.Sprintf("%d%s%02d", cents/100, t.T("format.decimal"), cents%100))
	return t.Tf("format.euro", map[string]any{"Amount": amount})
}

// Checked reports whether a native speaker has checked lang's messages,
// as its file says ("language.checked": "yes"). The staff pages show it:
// a house knows which translations to read with care.
func (c *Catalogue) Checked(lang string) bool {
	msg, err := c.For(lang).loc.Localize(&i18n.LocalizeConfig{MessageID: "language.checked"})
	return err == nil && msg == "yes" && c.Has(lang)
}

// Language returns lang's own name for itself ("Nederlands", "English"),
// so a visitor finds their language without reading the current one.
func (c *Catalogue) Language(lang string) string { return c.For(lang).T("language.name") }
