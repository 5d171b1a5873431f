package calendar

import (
	"bytes"
	"fmt"
	"io"
	"strings"

	"github.com/emersion/go-ical"
)

// contentLine is one unfolded line of an ICS file.
type contentLine struct {
	line int    // where it starts in the file, from 1
	text string // without the line break, folded lines joined
}

// unfold splits text into content lines, joining folded ones (a line that
// starts with a space or a tab continues the one before) and leaving out
// empty ones, as go-ical reads them.
func unfold(data []byte) []contentLine {
	var out []contentLine
	n := 0
	for len(data) > 0 {
		n++
		var l []byte
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			l, data = data[:i], data[i+1:]
		} else {
			l, data = data, nil
		}
		l = bytes.TrimSuffix(l, []byte("\r"))
		if len(l) > 0 && (l[0] == ' ' || l[0] == '\t') && len(out) > 0 {
			out[len(out)-1].text += string(l[1:])
			continue
		}
		out = append(out, contentLine{line: n, text: string(l)})
	}
	kept := out[:0]
	for _, cl := range out {
		if cl.text != "" {
			kept = append(kept, cl)
		}
	}
	return kept
}

// component is where one component of a calendar sits in the file.
type component struct {
	name  string
	begin int            // the line of its BEGIN
	props map[string]int // the first line of each of its properties
}

// outline is the shape of an ICS file, checked line by line: the
// components directly inside each VCALENDAR, in order, as go-ical returns
// them as children.
type outline struct {
	lines     []contentLine // while outlining
	calendars [][]component
	last      int // the last line of the file
}

// outlineICS checks that the file is made of calendar lines (NAME:value)
// whose BEGIN and END pair up, and records where each component and
// property is. It parses no values: go-ical does.
func outlineICS(data []byte) (*outline, error) {
	ol := &outline{lines: unfold(data)}
	ol.last = bytes.Count(data, []byte("\n")) + 1
	type open struct {
		name string
		line int
	}
	var stack []open
	var cur *component // the component inside a VCALENDAR being read
	events := 0
	fail := func(line int, format string, args ...any) error {
		return &ParseError{Format: ICS, Line: line, Err: fmt.Errorf("%w: "+format, append([]any{ErrMalformed}, args...)...)}
	}
	for _, cl := range ol.lines {
		name, value, ok := splitLine(cl.text)
		if !ok {
			return nil, fail(cl.line, "%q is not a calendar line (NAME:value)", short(cl.text))
		}
		switch name {
		case "BEGIN":
			comp := strings.ToUpper(value)
			switch {
			case comp == "":
				return nil, fail(cl.line, "BEGIN without a name")
			case len(stack) == 0 && comp != "VCALENDAR":
				return nil, fail(cl.line, "a calendar starts with BEGIN:VCALENDAR, not BEGIN:%s", short(value))
			case len(stack) == 0:
				ol.calendars = append(ol.calendars, nil)
			case len(stack) == 1:
				if comp == "VEVENT" {
					if events++; events > MaxEvents {
						return nil, &ParseError{Format: ICS, Line: cl.line, Err: fmt.Errorf("%w: more than %d events", ErrTooLarge, MaxEvents)}
					}
				}
				cs := &ol.calendars[len(ol.calendars)-1]
				*cs = append(*cs, component{name: comp, begin: cl.line, props: map[string]int{}})
				cur = &(*cs)[len(*cs)-1]
			}
			stack = append(stack, open{comp, cl.line})
		case "END":
			comp := strings.ToUpper(value)
			if len(stack) == 0 {
				return nil, fail(cl.line, "END:%s without a BEGIN:%s", short(value), short(value))
			}
			if top := stack[len(stack)-1]; comp != top.name {
				return nil, fail(cl.line, "END:%s, but the %s that begins on line %d has no END:%s",
					short(value), top.name, top.line, top.name)
			}
			stack = stack[:len(stack)-1]
			if len(stack) == 1 {
				cur = nil
			}
		default:
			if len(stack) == 0 {
				if len(ol.calendars) == 0 {
					return nil, fail(cl.line, "a calendar starts with BEGIN:VCALENDAR, not %q", short(cl.text))
				}
				return nil, fail(cl.line, "%q after END:VCALENDAR", short(cl.text))
			}
			if len(stack) == 2 && cur != nil {
				if _, seen := cur.props[name]; !seen {
					cur.props[name] = cl.line
				}
			}
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return nil, fail(ol.last, "the file ends, but the %s that begins on line %d has no END:%s", top.name, top.line, top.name)
	}
	if len(ol.calendars) == 0 {
		return nil, fail(1, "no BEGIN:VCALENDAR: the file is empty")
	}
	// The lines are a copy of the file; a large one is not kept twice
	// while go-ical reads it. locate unfolds them again when it must.
	ol.lines = nil
	return ol, nil
}

// splitLine returns a content line's name in upper case and its value (what
// follows the first colon outside quotes), and whether the name is one RFC
// 5545 allows (letters, digits and "-").
func splitLine(s string) (name, value string, ok bool) {
	i := strings.IndexAny(s, ";:")
	if i <= 0 {
		return "", "", false
	}
	for _, r := range s[:i] {
		if !(r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return "", "", false
		}
	}
	quoted := false
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '"':
			quoted = !quoted
		case ':':
			if !quoted {
				return strings.ToUpper(s[:i]), s[j+1:], true
			}
		}
	}
	return "", "", false
}

// short cuts s for an error message.
func short(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:39]) + "…"
	}
	return s
}

// decodeICS parses the calendars in the file with go-ical. go-ical keeps
// no line numbers, so when it fails the failing line is found by decoding
// the lines one by one. It can also panic on a malformed parameter; that
// is a malformed file too.
func decodeICS(data []byte, ol *outline) (cals []*ical.Calendar, err error) {
	defer func() {
		if r := recover(); r != nil {
			cals, err = nil, ol.locate(data, fmt.Errorf("%v", r))
		}
	}()
	dec := ical.NewDecoder(bytes.NewReader(data))
	for {
		cal, err := dec.Decode()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, ol.locate(data, err)
		}
		cals = append(cals, cal)
	}
	if len(cals) != len(ol.calendars) {
		return nil, &ParseError{Format: ICS, Line: 1, Err: fmt.Errorf("%w: read %d calendars, expected %d", ErrMalformed, len(cals), len(ol.calendars))}
	}
	for i, cal := range cals {
		if len(cal.Children) != len(ol.calendars[i]) {
			return nil, &ParseError{Format: ICS, Line: 1, Err: fmt.Errorf("%w: calendar %d: read %d components, expected %d",
				ErrMalformed, i+1, len(cal.Children), len(ol.calendars[i]))}
		}
	}
	return cals, nil
}

// locate finds the line that go-ical failed on, by decoding each property
// line on its own.
func (ol *outline) locate(data []byte, err error) error {
	for _, cl := range unfold(data) {
		name, _, _ := splitLine(cl.text)
		if name == "BEGIN" || name == "END" {
			continue
		}
		if lerr := decodeLine(cl.text); lerr != nil {
			return &ParseError{Format: ICS, Line: cl.line, Err: fmt.Errorf("%w: %v", ErrMalformed, lerr)}
		}
	}
	return &ParseError{Format: ICS, Line: 1, Err: fmt.Errorf("%w: %v", ErrMalformed, err)}
}

func decodeLine(text string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%v", r)
		}
	}()
	_, err = ical.NewDecoder(strings.NewReader("BEGIN:VCALENDAR\r\n" + text + "\r\nEND:VCALENDAR\r\n")).Decode()
	return err
}
