package slip

import (
	"fmt"
	"strings"

	"buurtbalie/internal/bidi"
)

// Type styles, in points on 80 mm paper. Thermal paper prints black only,
// so the order of things shows in size, weight and rules, never in grey.
var (
	houseFace = face{bold: true, size: 14}
	whenFace  = face{size: 10}
	topicFace = face{bold: true, size: 14}
	labelFace = face{size: 10}
	codeFace  = face{bold: true, size: 34}
	hintFace  = face{size: 9}
	bodyFace  = face{size: 10}
	dutchFace = face{size: 9}
	headFace  = face{bold: true, size: 10}
	urgeFace  = face{bold: true, size: 10}
	titleFace = face{bold: true, size: 16}
	timeFace  = face{bold: true, size: 26}
	roomFace  = face{bold: true, size: 14}
)

// Spacing, mm.
const (
	topMargin    = 3
	bottomMargin = 6 // the cutter sits a little above the print head
	gap          = 2.5
	paraGap      = 1.2
	hairline     = 0.25
	heavyLine    = 0.6
)

// RenderQuestion lays out the slip a visitor takes home after leaving a
// question: the code large, the QR code, what happens next, when
// volunteers are in, and where to turn in an emergency. Code and URL are
// required; other empty fields leave their part out.
func (r *loaded) RenderQuestion(q Question, opt Options) ([]byte, error) {
	code := r.clean(q.Code, false)
	if code == "" {
		return nil, fmt.Errorf("question slip: %w", ErrNoCode)
	}
	if err := checkURL(q.URL); err != nil {
		return nil, fmt.Errorf("question slip: %w", err)
	}
	p, err := r.newPage(opt)
	if err != nil {
		return nil, fmt.Errorf("question slip: %w", err)
	}
	dir := bidi.Base(q.Lang)
	p.space(topMargin)
	p.fit(r.clean(q.House, true), houseFace, 11, dir)
	p.fit(r.clean(q.When, true), whenFace, 8, dir)
	p.rule(hairline, gap)

	p.text(r.clean(q.Topic, true), topicFace, center, dir)
	p.space(gap)
	p.text(r.clean(q.CodeLabel, true), labelFace, center, dir)
	p.fit(code, codeFace, 14, bidi.LTR)
	if err := p.qr(q.URL); err != nil {
		return nil, fmt.Errorf("question slip: %w", err)
	}
	p.text(r.clean(q.ScanHint, true), hintFace, center, dir)

	next, dutch := r.paragraphs(q.Next), r.paragraphs(q.NextDutch)
	if len(next)+len(dutch) > 0 {
		p.rule(hairline, gap)
		p.paragraphs(next, bodyFace, dir)
		if len(next) > 0 && len(dutch) > 0 {
			p.space(gap)
		}
		p.paragraphs(dutch, dutchFace, bidi.LTR)
	}

	p.section(r.clean(q.HoursLabel, true), r.paragraphs(q.Hours), headFace, bodyFace, hairline, dir)
	p.section(r.clean(q.EmergencyLabel, true), r.paragraphs(q.Emergency), urgeFace, urgeFace, heavyLine, dir)
	if dutch := r.paragraphs(q.EmergencyDutch); len(dutch) > 0 {
		p.text(strings.Join(dutch, "\n"), dutchFace, start, bidi.LTR)
	}
	return p.finish(bottomMargin)
}

// RenderActivity lays out a reminder of one activity: title, date, time
// (large) and room. Title is required; other empty fields leave their part
// out.
func (r *loaded) RenderActivity(a Activity, opt Options) ([]byte, error) {
	title := r.clean(a.Title, true)
	if title == "" {
		return nil, fmt.Errorf("activity slip: %w", ErrNoTitle)
	}
	p, err := r.newPage(opt)
	if err != nil {
		return nil, fmt.Errorf("activity slip: %w", err)
	}
	dir := bidi.Base(a.Lang)
	p.space(topMargin)
	p.fit(r.clean(a.House, true), houseFace, 11, dir)
	p.rule(hairline, gap)

	p.text(title, titleFace, center, dir)
	p.space(paraGap)
	p.text(r.clean(a.When, true), whenFace, center, dir)
	p.fit(r.clean(a.Time, false), timeFace, 12, dir)
	p.text(r.clean(a.Room, true), roomFace, center, dir)

	if note := r.clean(a.Note, true); note != "" {
		p.rule(hairline, gap)
		p.text(note, bodyFace, start, dir)
	}
	if footer := r.clean(a.Footer, true); footer != "" {
		p.rule(hairline, gap)
		p.text(footer, hintFace, center, dir)
	}
	return p.finish(bottomMargin)
}

// paragraphs cleans each of ps and leaves out the empty ones.
func (r *loaded) paragraphs(ps []string) []string {
	var out []string
	for _, s := range ps {
		if s = r.clean(s, true); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// paragraphs places ps at the start side of dir with a little air
// between them.
func (p *page) paragraphs(ps []string, f face, dir bidi.Direction) {
	for i, s := range ps {
		if i > 0 {
			p.space(paraGap)
		}
		p.text(s, f, start, dir)
	}
}

// section places a rule, a heading and its lines, if there is anything to
// show.
func (p *page) section(head string, lines []string, headF, lineF face, thick float64, dir bidi.Direction) {
	if head == "" && len(lines) == 0 {
		return
	}
	p.rule(thick, gap)
	p.text(head, headF, start, dir)
	p.text(strings.Join(lines, "\n"), lineF, start, dir)
}
