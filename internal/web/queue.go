package web

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"net/http"
	"net/url"

	"buurtbalie/internal/question"
	"buurtbalie/internal/sharing"
)

// queueView is the queue page's Data.
type queueView struct {
	Items    []queueItem
	Topics   []filterLink
	Statuses []filterLink
	// Languages are the choices of the language filter, a select
	// rather than links: seven languages' names are too many chips.
	Languages []langOption
	Filter    question.QueueFilter // for the language form's hidden fields
	Filtered  bool                 // a filter hides some open questions
	Version   string               // the queue's version, for the script that reloads
}

type queueItem struct {
	Token     string
	Code      string
	Topic     string
	Language  visitorLanguage
	Age       string
	Created   string
	Waiting   bool
	NoSlip    bool // the slip did not print: the visitor has only the code
	Status    string
	StatusKey string
	Claimed   string // "door Anna"
	FromHouse string // "Doorverwezen door Huis West": another house referred it here
	FromNote  string // that house's volunteer's note
	Text      string // the question, handed over with it
}

type topicLink struct {
	Key, Name string
}

// filterLink is one choice of the queue's filter: a plain link, so that
// it works without JavaScript.
type filterLink struct {
	URL, Name string
	Current   bool
}

// queueURL is the queue's address with filter f.
func queueURL(f question.QueueFilter) string {
	v := url.Values{}
	if f.Topic != "" {
		v.Set("topic", f.Topic)
	}
	if f.Status != "" {
		v.Set("status", string(f.Status))
	}
	if f.Lang != "" {
		v.Set(langFilter, f.Lang)
	}
	if len(v) == 0 {
		return "/queue"
	}
	return "/queue?" + v.Encode()
}

// openStatuses are the statuses the queue filters on.
var openStatuses = []question.Status{question.New, question.Claimed, question.Referred}

// queueFilter reads the queue's filter from the query; an unknown status
// is ignored rather than refused, as a link typed wrong should still
// show the queue.
func queueFilter(r *http.Request) question.QueueFilter {
	q := r.URL.Query()
	f := question.QueueFilter{Topic: q.Get("topic"), Lang: q.Get(langFilter)}
	for _, st := range openStatuses {
		if q.Get("status") == string(st) {
			f.Status = st
		}
	}
	return f
}

func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request, sess *session) {
	ctx := r.Context()
	f := queueFilter(r)
	all, err := s.questions.Queue(ctx, question.QueueFilter{})
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	items := all
	if f != (question.QueueFilter{}) {
		if items, err = s.questions.Queue(ctx, f); err != nil {
			s.fail(w, r, sess, err)
			return
		}
	}
	p := s.newPage(w, r, sess, "")
	l := p.L
	p.Title = l.T("web.queue.title")
	p.Refresh = true
	topics, err := s.topicNames(ctx, l)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	d := queueView{Filter: f, Filtered: f != (question.QueueFilter{}), Version: version(all)}
	d.Languages = s.languageOptions(all, f.Lang)
	onDuty := s.onDuty(ctx)
	d.Topics = append(d.Topics, filterLink{
		URL: queueURL(question.QueueFilter{Status: f.Status, Lang: f.Lang}), Name: l.T("web.queue.all_topics"), Current: f.Topic == "",
	})
	for _, t := range topics {
		d.Topics = append(d.Topics, filterLink{
			URL: queueURL(question.QueueFilter{Topic: t.Key, Status: f.Status, Lang: f.Lang}), Name: t.Name, Current: f.Topic == t.Key,
		})
	}
	d.Statuses = append(d.Statuses, filterLink{
		URL: queueURL(question.QueueFilter{Topic: f.Topic, Lang: f.Lang}), Name: l.T("web.queue.all_statuses"), Current: f.Status == "",
	})
	for _, st := range openStatuses {
		d.Statuses = append(d.Statuses, filterLink{
			URL: queueURL(question.QueueFilter{Topic: f.Topic, Status: st, Lang: f.Lang}), Name: l.T("web.status." + string(st)), Current: f.Status == st,
		})
	}
	now := s.cfg.Now()
	var referredIn map[int64]sharing.HandOver
	if ho := s.handOvers(); ho != nil {
		if referredIn, err = ho.ReferredIn(ctx); err != nil {
			s.fail(w, r, sess, err)
			return
		}
	}
	for _, it := range items {
		q := it.Question
		d.Items = append(d.Items, queueItem{
			Token:     q.Token,
			Code:      question.FormatCode(q.Code),
			Topic:     nameIn(topics, q.Topic),
			Language:  s.visitorLanguage(l, q.Lang, onDuty),
			Age:       age(l, now, q.Created),
			Created:   s.when(l, q.Created),
			Waiting:   q.FollowUp == question.Waiting,
			NoSlip:    q.Print == question.PrintFailed,
			Status:    l.T("web.status." + string(q.Status)),
			StatusKey: string(q.Status),
		})
		if it.ClaimedBy != "" {
			d.Items[len(d.Items)-1].Claimed = l.Tf("web.queue.by", map[string]any{"Name": it.ClaimedBy})
		}
		if h, ok := referredIn[q.ID]; ok {
			// The code the visitor holds is the other house's.
			last := &d.Items[len(d.Items)-1]
			last.FromHouse, last.FromNote = l.Tf("web.slip.house_from", map[string]any{"House": h.From}), h.Note
			last.Code, last.Text = question.FormatCode(h.Code), q.Text
		}
	}
	p.Data = d
	s.render(w, r, http.StatusOK, "queue", p)
}

// handleQueueVersion answers the queue page's script, every few seconds:
// a short string that changes whenever the queue does.
func (s *Server) handleQueueVersion(w http.ResponseWriter, r *http.Request, sess *session) {
	items, err := s.questions.Queue(r.Context(), question.QueueFilter{})
	if err != nil {
		s.log.Error("web: queue version", "err", err)
		http.Error(w, "error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Write([]byte(version(items)))
}

// version sums up what the queue shows: which questions, in which order,
// their status, who claimed them and whether their slip printed. It is
// computed from the queue itself, so it needs no bookkeeping; it changes
// with a new question at the kiosk, with its slip failing a few seconds
// later, and with a claim, a referral or a close, but not with a view or a
// note, which would reload every volunteer's queue for nothing.
func version(items []question.QueueItem) string {
	h := sha256.New()
	var b [8]byte
	for _, it := range items {
		binary.BigEndian.PutUint64(b[:], uint64(it.Question.ID))
		h.Write(b[:])
		h.Write([]byte(it.Question.Status))
		h.Write([]byte{0})
		h.Write([]byte(it.ClaimedBy))
		h.Write([]byte{0})
		h.Write([]byte(it.Question.Print))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil)[:8])
}
