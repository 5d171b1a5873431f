package calendar

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/emersion/go-ical"

	"buurtbalie/internal/programme"
)

// ParseICS reads an ICS calendar (RFC 5545).
func ParseICS(r io.Reader, opts Options) (Import, error) {
	data, notes, err := readText(r)
	if err != nil {
		return Import{}, err
	}
	return parseICS(data, notes, opts)
}

// windowsZones are the time zone names Outlook writes as TZID, for the
// zones a Dutch house meets.
var windowsZones = map[string]string{
	"W. Europe Standard Time":        "Europe/Amsterdam",
	"Romance Standard Time":          "Europe/Brussels",
	"Central Europe Standard Time":   "Europe/Budapest",
	"Central European Standard Time": "Europe/Warsaw",
	"GMT Standard Time":              "Europe/London",
	"Greenwich Standard Time":        "Atlantic/Reykjavik",
	"UTC":                            "UTC",
	"Coordinated Universal Time":     "UTC",
}

func parseICS(data []byte, notes []Issue, opts Options) (imp Import, err error) {
	opts, err = opts.resolve()
	if err != nil {
		return Import{}, err
	}
	ol, err := outlineICS(data)
	if err != nil {
		return Import{}, err
	}
	cals, err := decodeICS(data, ol)
	if err != nil {
		return Import{}, err
	}
	p := &icsParser{
		opts:    opts,
		house:   opts.Location,
		zones:   map[string]*time.Location{},
		aliases: map[string]string{},
		cats:    newCategoryMatcher(opts.Categories),
		end:     opts.To.AddDays(1).In(opts.Location),
	}
	p.report.Notes = notes
	// A library may panic on input it did not expect; that is a
	// malformed file, named by the event being read.
	defer func() {
		if r := recover(); r != nil {
			e := &ParseError{Format: ICS, Line: 1, Err: fmt.Errorf("%w: %v", ErrMalformed, r)}
			if p.current != nil {
				e.Line, e.Event = p.current.where.begin, p.current.name()
			}
			imp, err = Import{}, e
		}
	}()
	sources, err := p.run(cals, ol)
	if err != nil {
		return Import{}, err
	}
	return Import{Format: ICS, From: opts.From, To: opts.To, Sources: sources, Report: p.report}, nil
}

// icsParser turns the events of a decoded calendar into sources.
type icsParser struct {
	opts    Options
	house   *time.Location
	zones   map[string]*time.Location // by TZID; nil for one not known
	aliases map[string]string         // TZID to a zone name, from VTIMEZONE's X-LIC-LOCATION
	cats    categoryMatcher
	end     time.Time // the end of the period: midnight after To
	report  Report
	current *vevent // the event being read, to name it in an error
	// Once the file has more than MaxActivities, the activities of the
	// rest are only counted (in counted), not made.
	counting bool
	counted  int
}

// vevent is one VEVENT and where it is in the file.
type vevent struct {
	comp     *ical.Component
	where    component
	uid      string
	floating *time.Location // the zone of its times without TZID or Z
}

// line returns the line of the event's property prop, or of its BEGIN.
func (ev *vevent) line(prop string) int {
	if l, ok := ev.where.props[prop]; ok {
		return l
	}
	return ev.where.begin
}

// name names the event for an error: its title and UID.
func (ev *vevent) name() string {
	title := oneLine(text(ev.comp, ical.PropSummary))
	switch {
	case title != "" && ev.uid != "":
		return fmt.Sprintf("%q (UID %s)", short(title), short(ev.uid))
	case title != "":
		return fmt.Sprintf("%q", short(title))
	case ev.uid != "":
		return "UID " + short(ev.uid)
	}
	return ""
}

// fail makes the error that refuses the file because of the value of the
// event's property prop.
func (ev *vevent) fail(prop string, err error) error {
	return &ParseError{Format: ICS, Line: ev.line(prop), Event: ev.name(), Err: err}
}

// group is the components of one UID: the event itself (masters, of which
// there should be one) and the instances it overrides.
type group struct {
	uid       string
	masters   []*vevent
	overrides []*vevent
}

func (p *icsParser) run(cals []*ical.Calendar, ol *outline) ([]Source, error) {
	var events []*vevent
	for ci, cal := range cals {
		// Google and Apple calendars name the zone their floating times
		// are in; without it they are the house's.
		floating := p.house
		if name := strings.TrimSpace(text(cal.Component, "X-WR-TIMEZONE")); name != "" {
			if loc, err := p.zone(name); err == nil {
				floating = loc
			}
		}
		for i, child := range cal.Children {
			switch child.Name {
			case ical.CompTimezone:
				tzid := text(child, ical.PropTimezoneID)
				if loc := text(child, "X-LIC-LOCATION"); tzid != "" && loc != "" {
					p.aliases[tzid] = loc
				}
			case ical.CompEvent:
				events = append(events, &vevent{comp: child, where: ol.calendars[ci][i], floating: floating})
			}
		}
	}
	groups := map[string]*group{}
	var order []*group
	for _, ev := range events {
		ev.uid = strings.TrimSpace(text(ev.comp, ical.PropUID))
		if ev.uid == "" {
			// Without a UID an import again could not find the event;
			// its title and start stand in, so it does as long as those
			// stay the same.
			h := sha256.Sum256([]byte(text(ev.comp, ical.PropSummary) + "\n" + propValue(ev.comp, ical.PropDateTimeStart)))
			ev.uid = "no-uid-" + hex.EncodeToString(h[:8])
			p.note(ev, "no_uid", "the event has no UID; its title and start identify it")
		} else if len(ev.uid) > 200 {
			h := sha256.Sum256([]byte(ev.uid))
			ev.uid = "sha256-" + hex.EncodeToString(h[:])
		}
		g := groups[ev.uid]
		if g == nil {
			g = &group{uid: ev.uid}
			groups[ev.uid] = g
			order = append(order, g)
		}
		if ev.comp.Props.Get(ical.PropRecurrenceID) != nil {
			g.overrides = append(g.overrides, ev)
		} else {
			g.masters = append(g.masters, ev)
		}
	}

	var sources []Source
	total := 0 // activities, also those not kept once there are too many
	over := 0  // the line where there came to be too many
	for _, g := range order {
		src := Source{Key: "ics:" + g.uid}
		emit := false
		add := func(ev *vevent, acts []programme.Activity, excs []programme.Exception) {
			// Past the limit the rest is only counted, to say how many
			// the file would add, without holding them all.
			total += len(acts) + p.counted
			p.counted = 0
			if total > MaxActivities {
				if over == 0 {
					over = ev.where.begin
				}
				p.counting = true
				return
			}
			if src.Title == "" {
				src.Title, src.Line = ev.title(), ev.where.begin
			}
			ids := map[int64]int64{}
			for _, a := range acts {
				old := a.ID
				a.ID = int64(len(src.Activities) + 1)
				a.Source = src.Key
				ids[old] = a.ID
				src.Activities = append(src.Activities, a)
			}
			for _, x := range excs {
				x.ActivityID = ids[x.ActivityID]
				src.Exceptions = append(src.Exceptions, x)
			}
			emit = true
		}
		if len(g.masters) == 0 {
			// Instances of an event not in the file, as when only some
			// were shared: each stands on its own.
			for _, ov := range g.overrides {
				p.report.Events++
				acts, excs, ok, err := p.event(ov, nil)
				if err != nil {
					return nil, err
				}
				if ok {
					add(ov, acts, excs)
				}
			}
		}
		for i, m := range g.masters {
			p.report.Events++
			var ovs []*vevent
			if i == 0 {
				ovs = g.overrides
			} else {
				p.note(m, "duplicate_uid", fmt.Sprintf("another event has the same UID (line %d)", g.masters[0].where.begin))
			}
			acts, excs, ok, err := p.event(m, ovs)
			if err != nil {
				return nil, err
			}
			if ok {
				add(m, acts, excs)
			}
		}
		if emit {
			sources = append(sources, src)
		}
	}
	if over > 0 {
		return nil, &ParseError{Format: ICS, Line: over, Err: &TooManyError{AtLeast: total, What: "file"}}
	}
	return sources, nil
}

// title is the event's title as the kiosk would show it.
func (ev *vevent) title() string {
	t, _ := cut(oneLine(text(ev.comp, ical.PropSummary)), programme.MaxTitle)
	return t
}

// skip records that the event is left out, and why.
func (p *icsParser) skip(ev *vevent, reason, detail string) {
	p.report.Skipped = append(p.report.Skipped, p.issue(ev, reason, detail))
}

// note records something adjusted on the way.
func (p *icsParser) note(ev *vevent, reason, detail string) {
	p.report.Notes = append(p.report.Notes, p.issue(ev, reason, detail))
}

func (p *icsParser) issue(ev *vevent, reason, detail string) Issue {
	src := ""
	if ev.uid != "" {
		src = "ics:" + ev.uid
	}
	return Issue{Line: ev.where.begin, Source: src, Title: ev.title(), Reason: reason, Detail: detail}
}

// fields are what an event says about itself, in the programme's terms.
type fields struct {
	title, description, room, host, category string
}

// fields reads the event's texts, cut to the programme's limits; an
// overriding instance inherits what it does not say from its event.
func (p *icsParser) fields(ev *vevent, from *fields) fields {
	var f fields
	if from != nil {
		f = *from
	}
	c := ev.comp
	if c.Props.Get(ical.PropSummary) != nil {
		f.title = p.cut(ev, "title", oneLine(text(c, ical.PropSummary)), programme.MaxTitle)
	}
	if c.Props.Get(ical.PropDescription) != nil {
		d := strings.TrimSpace(plain(strings.ReplaceAll(text(c, ical.PropDescription), "\r\n", "\n"), true))
		f.description = p.cut(ev, "description", d, programme.MaxDescription)
	}
	if c.Props.Get(ical.PropLocation) != nil {
		f.room = p.cut(ev, "room", oneLine(text(c, ical.PropLocation)), programme.MaxShort)
	}
	if host := p.host(c); host != "" {
		f.host = p.cut(ev, "host", host, programme.MaxShort)
	}
	if len(c.Props.Values(ical.PropCategories)) > 0 || from == nil {
		f.category = p.category(c)
	}
	return f
}

func (p *icsParser) cut(ev *vevent, what, s string, n int) string {
	s, cutShort := cut(s, n)
	if cutShort {
		p.note(ev, "cut", fmt.Sprintf("the %s was cut to %d characters", what, n))
	}
	return s
}

// host is who organises the event: X-BUURTBALIE-HOST, or the organiser's
// common name. An e-mail address is never kept.
func (p *icsParser) host(c *ical.Component) string {
	h := oneLine(text(c, "X-BUURTBALIE-HOST"))
	if h == "" {
		if org := c.Props.Get(ical.PropOrganizer); org != nil {
			h = oneLine(org.Params.Get(ical.ParamCommonName))
		}
	}
	if strings.Contains(h, "@") {
		return ""
	}
	return h
}

// category is the key of the first of the event's CATEGORIES that names
// one, or Other.
func (p *icsParser) category(c *ical.Component) string {
	for _, prop := range c.Props.Values(ical.PropCategories) {
		names, err := prop.TextList()
		if err != nil {
			names = []string{prop.Value}
		}
		for _, n := range names {
			if key, ok := p.cats.match(n); ok {
				return key
			}
		}
	}
	return Other
}

// text returns the text value of the component's property name, unescaped;
// a list stays one text ("Koffie, thee") and a value with a wrong escape
// is taken as it stands, since calendars in the wild have both.
func text(c *ical.Component, name string) string {
	prop := c.Props.Get(name)
	if prop == nil {
		return ""
	}
	l, err := prop.TextList()
	if err != nil {
		return prop.Value
	}
	return strings.Join(l, ",")
}

// propValue is the raw value of a property, or "".
func propValue(c *ical.Component, name string) string {
	if prop := c.Props.Get(name); prop != nil {
		return prop.Value
	}
	return ""
}

// zoneError is a TZID no one knows: the event is skipped, not the file.
type zoneError struct{ tzid string }

func (e *zoneError) Error() string { return fmt.Sprintf("unknown time zone %q", e.tzid) }

// zone returns the location a TZID names: an IANA name, the zone a
// VTIMEZONE names in X-LIC-LOCATION, an Outlook name, or a path ending in
// an IANA name ("/mozilla.org/20050126_1/Europe/Amsterdam").
func (p *icsParser) zone(tzid string) (*time.Location, error) {
	loc, ok := p.zones[tzid]
	if !ok {
		loc = p.loadZone(tzid)
		p.zones[tzid] = loc
	}
	if loc == nil {
		return nil, &zoneError{tzid}
	}
	return loc, nil
}

func (p *icsParser) loadZone(tzid string) *time.Location {
	name := strings.TrimSpace(strings.Trim(tzid, `"`))
	var try []string
	if a, ok := p.aliases[tzid]; ok {
		try = append(try, a)
	}
	try = append(try, name)
	if w, ok := windowsZones[name]; ok {
		try = append(try, w)
	}
	if parts := strings.Split(name, "/"); len(parts) > 2 {
		try = append(try, strings.Join(parts[len(parts)-3:], "/"), strings.Join(parts[len(parts)-2:], "/"))
	}
	for _, n := range try {
		if n == "" || n == "Local" || strings.Contains(n, "..") {
			continue
		}
		if loc, err := time.LoadLocation(n); err == nil {
			return loc
		}
	}
	return nil
}

// times reads a DATE or DATE-TIME property (a list of them for EXDATE and
// RDATE; a PERIOD's start) in the zone its TZID names, the calendar's
// X-WR-TIMEZONE or the house's zone when it names none. UTC times stay
// UTC: they are converted to the house's zone when placed on a day. dates
// reports whether the values are dates.
func (p *icsParser) times(ev *vevent, prop *ical.Prop) (ts []time.Time, dates bool, err error) {
	loc := ev.floating
	if loc == nil {
		loc = p.house
	}
	if tzid := prop.Params.Get(ical.ParamTimezoneID); tzid != "" {
		if loc, err = p.zone(tzid); err != nil {
			return nil, false, err
		}
	}
	valueType := strings.ToUpper(prop.Params.Get(ical.ParamValue))
	for _, v := range strings.Split(prop.Value, ",") {
		v = strings.TrimSpace(v)
		if start, _, ok := strings.Cut(v, "/"); ok && prop.Name == ical.PropRecurrenceDates {
			v = start // a PERIOD: its start is the instance
		}
		// A property of no known name lets go-ical tell a date from a
		// date-time by its length, as when VALUE=DATE is forgotten.
		one := ical.Prop{Name: "X-VALUE", Params: ical.Params{}, Value: v}
		isDate := valueType == string(ical.ValueDate) || (valueType == "" || valueType == string(ical.ValuePeriod)) && len(v) == 8
		if isDate {
			one.Params.Set(ical.ParamValue, string(ical.ValueDate))
		}
		t, perr := one.DateTime(loc)
		if perr == nil && !isDate && loc != time.UTC && !strings.HasSuffix(strings.ToUpper(v), "Z") {
			// A local time in the hour summer time skips, or in the hour
			// repeated when it ends, is placed as RFC 5545 says.
			if w, werr := one.DateTime(time.UTC); werr == nil {
				t = local(w, loc)
			}
		}
		if perr != nil || v == "" {
			return nil, false, ev.fail(prop.Name, fmt.Errorf("%w: %s %q is not a date like 20260310 or a date-time like 20260310T100000",
				ErrValue, prop.Name, short(v)))
		}
		if len(ts) > 0 && isDate != dates {
			return nil, false, ev.fail(prop.Name, fmt.Errorf("%w: %s mixes dates and date-times", ErrValue, prop.Name))
		}
		dates = isDate
		ts = append(ts, t)
	}
	return ts, dates, nil
}

// timing is when an event, or one instance of it, takes place.
type timing struct {
	allDay  bool
	start   time.Time     // in the event's zone; an all-day event's at midnight in the house's zone
	dur     time.Duration // a timed event's length
	days    int           // an all-day event's number of days
	assumed bool          // no end was given
}

// errSkip says the event was skipped (and recorded as such).
var errSkip = errors.New("skipped")

// timing reads DTSTART and DTEND (or DURATION). A malformed value refuses
// the file; an event the programme cannot hold is skipped with the reason.
func (p *icsParser) timing(ev *vevent) (timing, error) {
	startProp := ev.comp.Props.Get(ical.PropDateTimeStart)
	if startProp == nil {
		p.skip(ev, "no_start", "the event has no start (DTSTART)")
		return timing{}, errSkip
	}
	starts, allDay, err := p.times(ev, startProp)
	if err != nil {
		return timing{}, p.zoneSkip(ev, err)
	}
	t := timing{allDay: allDay, start: starts[0]}
	if allDay {
		t.start = programme.DateOf(t.start).In(p.house)
	} else if w := written(startProp); !wall(t.start).Equal(w) && !w.IsZero() {
		p.note(ev, "summer_time", fmt.Sprintf("%s does not exist on %s, when the clocks go forward: it is %s",
			w.Format("15:04"), w.Format("2006-01-02"), t.start.Format("15:04")))
	}
	if y := t.start.Year(); y < 1900 || y > 2200 {
		p.skip(ev, "out_of_range", fmt.Sprintf("the event starts in the year %d", y))
		return timing{}, errSkip
	}
	switch {
	case ev.comp.Props.Get(ical.PropDateTimeEnd) != nil:
		endProp := ev.comp.Props.Get(ical.PropDateTimeEnd)
		ends, endDate, err := p.times(ev, endProp)
		if err != nil {
			return timing{}, p.zoneSkip(ev, err)
		}
		if endDate != allDay {
			p.skip(ev, "mixed_dates", "the start is a date and the end a date-time, or the other way round")
			return timing{}, errSkip
		}
		if allDay {
			t.days = programme.DateOf(t.start).DaysUntil(programme.DateOf(ends[0]))
		} else {
			t.dur = ends[0].Sub(t.start)
			// A start in the hour summer time skips is read an hour
			// later (RFC 5545 3.3.5); an end written after it, in the
			// same zone, then keeps the length written: 02:30-03:00 is
			// 03:30-04:00, not an event that ends before it starts.
			if ws, we := written(startProp), written(endProp); t.dur <= 0 && we.After(ws) &&
				startProp.Params.Get(ical.ParamTimezoneID) == endProp.Params.Get(ical.ParamTimezoneID) {
				t.dur = we.Sub(ws)
			}
		}
	case ev.comp.Props.Get(ical.PropDuration) != nil:
		d, err := ev.comp.Props.Get(ical.PropDuration).Duration()
		if err != nil {
			return timing{}, ev.fail(ical.PropDuration, fmt.Errorf("%w: DURATION: %v", ErrValue, err))
		}
		if allDay {
			t.days = int((d + 24*time.Hour - 1) / (24 * time.Hour))
		} else {
			t.dur = d
		}
	default:
		if allDay {
			t.days = 1
		}
	}
	switch {
	case allDay && t.days < 0, !allDay && t.dur < 0:
		p.skip(ev, "end_before_start", "the event ends before it starts")
		return timing{}, errSkip
	case allDay && t.days == 0:
		t.days = 1
	case allDay && t.days > maxAllDayDays:
		p.skip(ev, "too_long", fmt.Sprintf("the event lasts %d days", t.days))
		return timing{}, errSkip
	case !allDay && t.dur == 0:
		t.dur, t.assumed = time.Hour, true
	}
	return t, nil
}

// written is the wall-clock time a DATE-TIME property's first value
// writes (as a time in UTC), or the zero time for a date or a time in
// UTC.
func written(prop *ical.Prop) time.Time {
	v, _, _ := strings.Cut(strings.TrimSpace(strings.Split(prop.Value, ",")[0]), "/")
	if len(v) != 15 {
		return time.Time{}
	}
	w, err := time.Parse("20060102T150405", v)
	if err != nil {
		return time.Time{}
	}
	return w
}

// zoneSkip skips the event for an unknown time zone, and passes any other
// error on.
func (p *icsParser) zoneSkip(ev *vevent, err error) error {
	var ze *zoneError
	if errors.As(err, &ze) {
		p.skip(ev, "unknown_zone", ze.Error())
		return errSkip
	}
	return err
}

// cancelled reports whether the component's STATUS is CANCELLED.
func cancelled(c *ical.Component) bool {
	return strings.EqualFold(strings.TrimSpace(propValue(c, ical.PropStatus)), string(ical.EventCancelled))
}
