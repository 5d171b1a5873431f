// Package desk is the kiosk's front desk: it takes a visitor's question,
// stores it, and only then prints its slip, so a failed print never loses
// a question. It also prints activity reminders. It knows the store, the
// slip renderer and the printer only by the small interfaces below; the
// program wires the real ones.
//
//	q, err := d.Ask(ctx, desk.Draft{Topic: "geld", FollowUp: question.Waiting, Lang: "nl"})
//	// err == nil: the question is on disk.
//	if err := d.PrintQuestion(ctx, q); err != nil {
//		// show the code and QR on screen instead
//	}
package desk

import (
	"context"
	"crypto/rand"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/house"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/question"
	"buurtbalie/internal/slip"
)

// Store keeps questions.
type Store interface {
	Create(ctx context.Context, q *question.Question) error
	RecordPrint(ctx context.Context, id int64, printed bool, detail string) error
	Topics(ctx context.Context) ([]question.Topic, error)
	VisitorViewByCode(ctx context.Context, code string) (question.VisitorView, error)
	ByCode(ctx context.Context, code string) (question.Question, error)
	RecordReprint(ctx context.Context, id int64, actor string, printed bool, detail string) error
}

// Slips renders slips to PDF.
type Slips interface {
	RenderQuestion(q slip.Question, opt slip.Options) ([]byte, error)
	RenderActivity(a slip.Activity, opt slip.Options) ([]byte, error)
}

// Printer hands a PDF to the printer and watches it come out, cancelling
// what cannot print now.
type Printer interface {
	Submit(ctx context.Context, title string, pdf []byte) (printer.Job, error)
	Wait(ctx context.Context, job printer.Job) error
}

// Config is what the house tells its slips.
type Config struct {
	House     string
	PublicURL string   // base of the QR link, e.g. http://192.168.1.20:8080
	Hours     []string // when volunteers are in, one line each
	Emergency []string // emergency numbers, one line each
	PaperMM   float64  // 80 or 58
	Location  *time.Location
	// Settings, when set, gives the house's name, hours and emergency
	// numbers as staff last saved them, read for every slip; House,
	// Hours and Emergency above are used when it fails.
	Settings Settings
}

// Settings gives what staff set about the house.
type Settings interface {
	House(ctx context.Context) (house.House, error)
}

// Desk takes questions and prints slips.
type Desk struct {
	store   Store
	slips   Slips
	printer Printer
	cat     *catalogue.Catalogue
	cfg     Config
	log     *slog.Logger
	// Now tells the time printed on slips; tests replace it.
	Now func() time.Time
}

// New returns a desk. log may be nil.
func New(store Store, slips Slips, p Printer, cat *catalogue.Catalogue, cfg Config, log *slog.Logger) *Desk {
	if log == nil {
		log = slog.Default()
	}
	if cfg.Location == nil {
		cfg.Location = time.Local
	}
	cfg.PublicURL = strings.TrimRight(cfg.PublicURL, "/")
	return &Desk{store: store, slips: slips, printer: p, cat: cat, cfg: cfg, log: log, Now: time.Now}
}

// SetPrinter replaces the printer, for print-test --out and screenshots,
// which print to a file.
func (d *Desk) SetPrinter(p Printer) { d.printer = p }

// Draft is a question as the visitor made it at the kiosk.
type Draft struct {
	Topic    string
	Text     string
	FollowUp question.FollowUp
	Lang     string
}

// Topics returns the topics visitors choose from: those staff did not
// hide.
func (d *Desk) Topics(ctx context.Context) ([]question.Topic, error) {
	all, err := d.store.Topics(ctx)
	if err != nil {
		return nil, err
	}
	var shown []question.Topic
	for _, t := range all {
		if !t.Hidden {
			shown = append(shown, t)
		}
	}
	return shown, nil
}

// house returns what slips say about the house now: as staff saved it,
// or as configured when that cannot be read (a slip still prints).
func (d *Desk) house(ctx context.Context) house.House {
	h := d.configured()
	if d.cfg.Settings == nil {
		return h
	}
	saved, err := d.cfg.Settings.House(ctx)
	if err != nil {
		d.log.Warn("house settings not read; the slip says what is configured", "err", err)
		return h
	}
	return saved
}

// configured is the house as the config file says, its hours read as
// a schedule when they have the plain form.
func (d *Desk) configured() house.House {
	return house.House{Name: d.cfg.House, Hours: d.cfg.Hours, Emergency: d.cfg.Emergency}.WithHours()
}

// Ask stores the visitor's question. When it returns nil the question is
// committed: print its slip next.
func (d *Desk) Ask(ctx context.Context, draft Draft) (question.Question, error) {
	q := question.Question{Topic: draft.Topic, Text: draft.Text, FollowUp: draft.FollowUp, Lang: draft.Lang}
	if err := d.store.Create(ctx, &q); err != nil {
		return question.Question{}, fmt.Errorf("ask: %w", err)
	}
	// Never the text, never the token: the id says which one.
	d.log.Info("question stored", "id", q.ID, "topic", q.Topic, "follow_up", string(q.FollowUp), "lang", q.Lang)
	return q, nil
}

// SlipStatus returns what the visitor with the slip of that code may see:
// where the question stands and the volunteer's message for them.
func (d *Desk) SlipStatus(ctx context.Context, code string) (question.VisitorView, error) {
	return d.store.VisitorViewByCode(ctx, code)
}

// SlipURL returns the link in a question's QR code.
func (d *Desk) SlipURL(q question.Question) string { return d.cfg.PublicURL + "/s/" + q.Token }

// slipTitle is the print job's name: never anything of the question.
const slipTitle = "buurtbalie-slip"

// QuestionSlip renders the slip of a stored question, in the visitor's
// language and, when that is not Dutch, what happens next in Dutch too.
func (d *Desk) QuestionSlip(q question.Question, topicNames map[string]string) ([]byte, error) {
	return d.questionSlip(q, topicNames, d.configured())
}

func (d *Desk) questionSlip(q question.Question, topicNames map[string]string, h house.House) ([]byte, error) {
	tr := d.cat.For(q.Lang)
	nl := d.cat.For(d.cat.Default())
	if h.Language == "" {
		h.Language = nl.Lang() // the configured house's lines are in the kiosk's own language
	}
	asked := q.Created.In(d.cfg.Location)
	next := func(tr *catalogue.Translator) []string {
		return append(nextSteps(tr, q.FollowUp, h.Volunteers, asked), tr.T("slip.next.anonymous"))
	}
	s := slip.Question{
		Lang:           tr.Lang(),
		House:          h.Name,
		When:           d.when(tr, q.Created),
		Topic:          tr.Name("topic", q.Topic, topicNames),
		CodeLabel:      tr.T("slip.code_label"),
		Code:           question.FormatCode(q.Code),
		URL:            d.SlipURL(q),
		ScanHint:       tr.T("slip.scan_hint"),
		Next:           next(tr),
		HoursLabel:     tr.T("slip.hours_label"),
		Hours:          h.HoursLines(tr, asked),
		EmergencyLabel: tr.T("slip.emergency_label"),
		Emergency:      h.EmergencyLines(tr, tr.Lang()),
	}
	if tr.Lang() != nl.Lang() {
		s.NextDutch = next(nl)
		if _, own := h.EmergencyIn[tr.Lang()]; !own {
			s.EmergencyDutch = h.Emergency
		}
	}
	return d.slips.RenderQuestion(s, slip.Options{WidthMM: d.cfg.PaperMM})
}

// nextSteps says what happens after the visitor left the question at
// asked. A volunteer is only said to come when the hours say one is in;
// outside them the slip says when to come back. When the kiosk cannot
// read the hours (free text only) it cannot know, so a waiting visitor
// is told to come back at the printed times if nobody comes.
func nextSteps(tr *catalogue.Translator, f question.FollowUp, v house.Volunteers, asked time.Time) []string {
	switch {
	case !v.Known():
		if f == question.Waiting {
			return []string{tr.T("slip.next.waiting_unknown")}
		}
		return []string{tr.T("slip.next." + string(f))}
	case v.InAt(asked):
		return []string{tr.T("slip.next." + string(f))}
	}
	nobody := tr.T("slip.next.outside_none")
	if when, ok := v.ComeBack(asked, tr); ok {
		nobody = tr.Tf("slip.next.outside", map[string]any{"When": when})
	}
	return []string{nobody, tr.T("slip.next." + string(question.ComeBack))}
}

func (d *Desk) when(tr *catalogue.Translator, t time.Time) string {
	t = t.In(d.cfg.Location)
	return tr.Tf("format.datetime", map[string]any{"Date": tr.Date(t.Year(), t.Month(), t.Day()), "Time": tr.Clock(t)})
}

// SubmitQuestion renders the slip of a stored question and hands it to
// the printer; it returns once the printer accepted the job.
func (d *Desk) SubmitQuestion(ctx context.Context, q question.Question) (printer.Job, error) {
	pdf, err := d.renderQuestion(ctx, q)
	if err != nil {
		return printer.Job{}, err
	}
	return d.printer.Submit(ctx, slipTitle, pdf)
}

// renderQuestion renders a stored question's slip, with the names of its
// topic that staff gave it.
func (d *Desk) renderQuestion(ctx context.Context, q question.Question) ([]byte, error) {
	topics, err := d.store.Topics(ctx)
	if err != nil {
		return nil, err
	}
	var names map[string]string
	for _, t := range topics {
		if t.Key == q.Topic {
			names = t.Names
		}
	}
	pdf, err := d.questionSlip(q, names, d.house(ctx))
	if err != nil {
		return nil, fmt.Errorf("render slip: %w", err)
	}
	return pdf, nil
}

// PrintQuestion prints the slip of a stored question and waits until it
// came out. If it cannot, the printer has cancelled the job (so it never
// comes out later for someone else), the failure is recorded, and the
// error tells the kiosk to show the code on screen instead.
func (d *Desk) PrintQuestion(ctx context.Context, q question.Question) error {
	pdf, err := d.renderQuestion(ctx, q)
	if err == nil {
		err = d.print(ctx, slipTitle, pdf)
	}
	// Recorded even when the caller stopped waiting: a question left
	// "pending" would never tell volunteers that its visitor has no slip.
	if rerr := d.store.RecordPrint(context.WithoutCancel(ctx), q.ID, err == nil, errText(err)); rerr != nil {
		d.log.Error("record print", "id", q.ID, "err", rerr)
	}
	if err != nil {
		d.log.Warn("slip not printed", "id", q.ID, "err", err)
		return fmt.Errorf("print slip: %w", err)
	}
	d.log.Info("slip printed", "id", q.ID)
	return nil
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// PrintActivity prints a reminder of one occurrence of an activity.
func (d *Desk) PrintActivity(ctx context.Context, o programme.Occurrence, lang string) error {
	tr := d.cat.For(lang)
	a := slip.Activity{
		Lang:   tr.Lang(),
		House:  d.house(ctx).Name,
		Title:  o.Activity.Title,
		When:   tr.Date(o.Date.Year, o.Date.Month, o.Date.Day),
		Time:   o.Start.Format("15:04") + " – " + o.End.Format("15:04"),
		Room:   o.Room,
		Note:   o.Note,
		Footer: tr.T("slip.activity_footer"),
	}
	pdf, err := d.slips.RenderActivity(a, slip.Options{WidthMM: d.cfg.PaperMM})
	if err != nil {
		return fmt.Errorf("render activity slip: %w", err)
	}
	if err := d.print(ctx, "buurtbalie-activity", pdf); err != nil {
		return fmt.Errorf("print activity slip: %w", err)
	}
	return nil
}

// print hands pdf to the printer and waits until it came out; the printer
// cancels what cannot print now.
func (d *Desk) print(ctx context.Context, title string, pdf []byte) error {
	job, err := d.printer.Submit(ctx, title, pdf)
	if err != nil {
		return err
	}
	return d.printer.Wait(ctx, job)
}

// ReprintByCode prints the slip of the stored question with code (in
// canonical form, see question.ParseCode) again, for a visitor who lost
// theirs: the same code and link as the first slip, never the question's
// text, which slips do not show. actor (e.g. "kiosk") is recorded with
// the reprint, printed or not. An unknown code gives an error matching
// question.ErrNotFound.
func (d *Desk) ReprintByCode(ctx context.Context, code, actor string) error {
	q, err := d.store.ByCode(ctx, code)
	if err != nil {
		return fmt.Errorf("reprint slip: %w", err)
	}
	pdf, err := d.renderQuestion(ctx, q)
	if err == nil {
		err = d.print(ctx, slipTitle, pdf)
	}
	// The first slip's print state stays as it was: the visitor had it.
	if rerr := d.store.RecordReprint(ctx, q.ID, actor, err == nil, errText(err)); rerr != nil {
		d.log.Error("record reprint", "id", q.ID, "err", rerr)
	}
	if err != nil {
		d.log.Warn("slip not reprinted", "id", q.ID, "err", err)
		return fmt.Errorf("reprint slip: %w", err)
	}
	d.log.Info("slip reprinted", "id", q.ID, "by", actor)
	return nil
}

// sampleCode is the code on sample slips: a made-up one, so a sample left
// at the printer leads to nobody's question.
const sampleCode = "K7M4QX"

// SampleSlip renders a sample question slip in lang (the default
// language when lang is empty), with the house's own name, hours and
// numbers as staff saved them, to try the printer. Nothing is stored:
// its code and link lead nowhere. A language without messages is an
// error: a sample in another language than asked for would mislead.
func (d *Desk) SampleSlip(ctx context.Context, lang string) ([]byte, error) {
	if lang == "" {
		lang = d.cat.Default()
	}
	if !d.cat.Has(lang) {
		return nil, fmt.Errorf("sample slip: no messages in language %q (there are %s)", lang, strings.Join(d.cat.Languages(), ", "))
	}
	token, err := question.NewToken(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("sample slip: %w", err)
	}
	sample := question.Question{Code: sampleCode, Token: token, Topic: "geld", FollowUp: question.Waiting,
		Lang: lang, Created: d.Now()}
	return d.questionSlip(sample, nil, d.house(ctx))
}

// PrintSample prints a sample slip the same way a visitor's slip prints,
// and waits until it came out; the error says why not (see the printer
// package's sentinels).
func (d *Desk) PrintSample(ctx context.Context) error {
	pdf, err := d.SampleSlip(ctx, "")
	if err != nil {
		return err
	}
	if err := d.print(ctx, "buurtbalie-test", pdf); err != nil {
		return fmt.Errorf("print sample slip: %w", err)
	}
	return nil
}
