package web

import (
	"bytes"
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/report"
)

// FigureHouses gives the figures of several houses, as a district
// keeps them, for /figures to choose from with ?house=.
type FigureHouses interface {
	// FigureChoices are the houses to choose from, the first the one
	// shown when none is chosen (such as all of them together); label
	// is what the page calls the choice ("Huis").
	FigureChoices(ctx context.Context, l *catalogue.Translator) (label string, houses []FigureChoice, err error)
	// FigureSource is the figures of the house with id, one of
	// FigureChoices'.
	FigureSource(id string) figures.Source
}

// FigureChoice is one house FigureHouses offers.
type FigureChoice struct {
	ID, Name string
}

// figuresView is the figures page: the period asked for and its tables.
type figuresView struct {
	From, To, Per string
	Pers          []choice
	Headline      []headline
	Charts        []figureChart
	Tables        []figureTable
	Legend        string
	Error         string

	// House is the house chosen of Houses, named HouseLabel; no Houses
	// on a house's own server.
	House, HouseLabel string
	Houses            []choice

	// PDF is this period as a PDF; YearPDF the whole year of its start
	// ("Jaarverslag"), QuarterPDF this quarter ("Kwartaalverslag").
	PDF, YearPDF, QuarterPDF, YearPDFText string
}

// figureChart is a chart drawn on the server as SVG: its labels are
// escaped where it is made (figures.BarChart), so it goes in as markup.
type figureChart struct {
	Title string
	SVG   template.HTML
}

type headline struct {
	Label string
	Value string
}

// figureTable is one table on the page, as shown, with its CSV links.
type figureTable struct {
	Title           string
	Head            []string
	Rows            [][]string
	CSV, CSVEnglish string
}

func (s *Server) figureRoutes() {
	if s.cfg.Figures == nil && s.cfg.FigureHouses == nil {
		return
	}
	s.mux.HandleFunc("GET /figures", s.staff(s.handleFigures))
	s.mux.HandleFunc("GET /figures/csv", s.staff(s.handleFiguresCSV))
	s.mux.HandleFunc("GET /figures/pdf", s.staff(s.handleFiguresPDF))
}

// figureSource is the figures the request asks for: the house's own, or
// of FigureHouses the one ?house= chooses. It returns the chosen
// house's name ("" for the house's own), and ok false for a house that
// is not one to choose.
func (s *Server) figureSource(r *http.Request, l *catalogue.Translator) (src figures.Source, house string, d figuresView, ok bool, err error) {
	if s.cfg.FigureHouses == nil {
		return s.cfg.Figures, "", d, true, nil
	}
	label, houses, err := s.cfg.FigureHouses.FigureChoices(r.Context(), l)
	if err != nil || len(houses) == 0 {
		return nil, "", d, false, err
	}
	d.HouseLabel, d.House = label, r.FormValue("house")
	if d.House == "" {
		d.House = houses[0].ID
	}
	for _, h := range houses {
		d.Houses = append(d.Houses, choice{Value: h.ID, Name: h.Name})
		if h.ID == d.House {
			src, house, ok = s.cfg.FigureHouses.FigureSource(h.ID), h.Name, true
		}
	}
	return src, house, d, ok, nil
}

// handleFiguresPDF downloads the period's figures as an A4 PDF, to attach
// to a subsidy report: "Jaarverslag 2026" for a whole year.
func (s *Server) handleFiguresPDF(w http.ResponseWriter, r *http.Request, sess *session) {
	from, to, g, why := s.figuresPeriod(r)
	l := s.translator(w, r, "")
	if why != "" {
		http.Error(w, l.T(why), http.StatusUnprocessableEntity)
		return
	}
	lang := "nl"
	if l.Lang() == "en" {
		lang = "en"
	}
	src, house, _, ok, err := s.figureSource(r, l)
	if err != nil || !ok {
		s.figuresMissing(w, r, sess, err)
		return
	}
	if house == "" && s.cfg.Settings != nil && s.cfg.Settings.House != nil {
		// The house's own figures: its name heads the PDF.
		if h, err := s.cfg.Settings.House.House(r.Context()); err == nil {
			house = h.Name
		}
	}
	rep, err := figures.Build(r.Context(), src, from, to, programme.DateOf(s.cfg.Now().In(s.cfg.Location)), g)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	n, err := s.figureNamer(r, lang)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	words := report.DutchWords
	if lang == "en" {
		words = report.EnglishWords
	}
	title := report.Title(from, to, lang)
	pdf, err := report.PDF(report.Document{House: house, Title: title,
		Period:    l.Date(from.Year, from.Month, from.Day) + " – " + l.Date(to.Year, to.Month, to.Day),
		Made:      l.T("web.figures.made") + " " + l.Date(s.cfg.Now().Year(), s.cfg.Now().Month(), s.cfg.Now().Day()),
		Headlines: rep.Headlines(l, n)}, rep, n, words)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(strings.ToLower(title), " ", "-")+`.pdf"`)
	w.Write(pdf)
}

// figuresPeriod reads the page's period: this year so far by default.
func (s *Server) figuresPeriod(r *http.Request) (from, to programme.Date, g figures.Grain, why string) {
	today := programme.DateOf(s.cfg.Now().In(s.cfg.Location))
	from, to, g = programme.NewDate(today.Year, 1, 1), today, figures.Month
	if v := r.FormValue("from"); v != "" {
		d, err := programme.ParseDate(v)
		if err != nil {
			return from, to, g, "web.figures.bad_from"
		}
		from = d
	}
	if v := r.FormValue("to"); v != "" {
		d, err := programme.ParseDate(v)
		if err != nil {
			return from, to, g, "web.figures.bad_to"
		}
		to = d
	}
	if v := r.FormValue("per"); v != "" {
		pg, err := figures.ParseGrain(v)
		if err != nil {
			return from, to, g, "web.figures.bad_per"
		}
		g = pg
	}
	switch {
	case to.Before(from):
		return from, to, g, "web.figures.to_before_from"
	case from.DaysUntil(to) > 5*366:
		return from, to, g, "web.figures.too_long"
	}
	return from, to, g, ""
}

// figureNamer names the report's keys for the page's language.
func (s *Server) figureNamer(r *http.Request, lang string) (figures.Namer, error) {
	names, categories := map[string]map[string]string{}, map[string]map[string]string{}
	if s.cfg.Settings != nil && s.cfg.Settings.Topics != nil {
		topics, err := s.cfg.Settings.Topics.Topics(r.Context())
		if err != nil {
			return figures.Namer{}, err
		}
		for _, t := range topics {
			names[t.Key] = t.Names
		}
	}
	if s.cfg.Settings != nil && s.cfg.Settings.Categories != nil {
		cats, err := s.cfg.Settings.Categories.Categories(r.Context())
		if err != nil {
			return figures.Namer{}, err
		}
		for _, c := range cats {
			categories[c.Key] = c.Names
		}
	}
	headings := "nl"
	if lang == "en" {
		headings = "en"
	}
	return figures.NewNamer(headings, s.cat.For(lang), names, categories, s.languageName), nil
}

// figuresMissing answers a house that is not one to choose with 404,
// and a failure to list them with 500.
func (s *Server) figuresMissing(w http.ResponseWriter, r *http.Request, sess *session, err error) {
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	s.notFound(w, r, sess)
}

func (s *Server) handleFigures(w http.ResponseWriter, r *http.Request, sess *session) {
	p := s.newPage(w, r, sess, "")
	p.Title = p.L.T("web.figures.title")
	from, to, g, why := s.figuresPeriod(r)
	src, _, d, ok, err := s.figureSource(r, p.L)
	if err != nil || !ok {
		s.figuresMissing(w, r, sess, err)
		return
	}
	d.From, d.To, d.Per = from.String(), to.String(), string(g)
	for _, pg := range []figures.Grain{figures.Week, figures.Month, figures.Quarter, figures.Year} {
		d.Pers = append(d.Pers, choice{Value: string(pg), Name: p.L.T("web.figures.per." + string(pg))})
	}
	status := http.StatusOK
	if why != "" {
		d.Error, status = p.L.T(why), http.StatusUnprocessableEntity
		p.Data = d
		s.render(w, r, status, "figures", p)
		return
	}
	rep, err := figures.Build(r.Context(), src, from, to, programme.DateOf(s.cfg.Now().In(s.cfg.Location)), g)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	n, err := s.figureNamer(r, p.L.Lang())
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	q := url.Values{"from": {d.From}, "to": {d.To}, "per": {d.Per}}
	house := url.Values{}
	if d.Houses != nil {
		q.Set("house", d.House)
		house.Set("house", d.House)
	}
	csvLink := func(table, headings string) string {
		v := url.Values{"table": {table}, "headings": {headings}}
		for k, x := range q {
			v[k] = x
		}
		return "/figures/csv?" + v.Encode()
	}
	for _, h := range rep.Headlines(p.L, n) {
		d.Headline = append(d.Headline, headline{Label: h[0], Value: h[1]})
	}
	d.PDF = "/figures/pdf?" + q.Encode()
	today := programme.DateOf(s.cfg.Now().In(s.cfg.Location))
	d.YearPDF = "/figures/pdf?" + withValues(url.Values{"from": {programme.NewDate(from.Year, 1, 1).String()}, "to": {programme.NewDate(from.Year, 12, 31).String()}, "per": {"month"}}, house).Encode()
	d.YearPDFText = p.L.Tf("web.figures.year_pdf", map[string]any{"Year": strconv.Itoa(from.Year)})
	qStart := programme.NewDate(today.Year, time.Month((int(today.Month)-1)/3*3+1), 1)
	d.QuarterPDF = "/figures/pdf?" + withValues(url.Values{"from": {qStart.String()}, "to": {programme.NewDate(qStart.Year, qStart.Month+3, 1).AddDays(-1).String()}, "per": {"month"}}, house).Encode()
	for _, c := range rep.Charts(n) {
		d.Charts = append(d.Charts, figureChart{Title: c.Title, SVG: template.HTML(c.SVG)})
	}
	// The tables, then the timings: one list on the page, their CSV
	// files numbered as handleFiguresCSV finds them.
	add := func(title string, lines [][]string, table string) {
		d.Tables = append(d.Tables, figureTable{Title: title, Head: lines[0], Rows: lines[1:],
			CSV: csvLink(table, "nl"), CSVEnglish: csvLink(table, "en")})
	}
	for i, t := range rep.Tables(n) {
		add(t.Title, t.Shown.Lines(t.Headings, t.Name), strconv.Itoa(i))
	}
	for i, t := range rep.Timings(n) {
		add(t.Title, figures.TimingLines(t.Timings, t.TimingHeadings, t.Name), "t"+strconv.Itoa(i))
	}
	d.Legend = figures.Legend(n.Lang)
	p.Data = d
	s.render(w, r, status, "figures", p)
}

// handleFiguresCSV downloads one of the page's tables as a CSV file for
// Excel, with Dutch or English headings.
func (s *Server) handleFiguresCSV(w http.ResponseWriter, r *http.Request, sess *session) {
	from, to, g, why := s.figuresPeriod(r)
	if why != "" {
		l := s.translator(w, r, "")
		http.Error(w, l.T(why), http.StatusUnprocessableEntity)
		return
	}
	headings := "nl"
	if r.FormValue("headings") == "en" {
		headings = "en"
	}
	src, _, _, ok, err := s.figureSource(r, s.translator(w, r, ""))
	if err != nil || !ok {
		s.figuresMissing(w, r, sess, err)
		return
	}
	rep, err := figures.Build(r.Context(), src, from, to, programme.DateOf(s.cfg.Now().In(s.cfg.Location)), g)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	n, err := s.figureNamer(r, headings)
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	var b bytes.Buffer
	file := ""
	table := r.FormValue("table")
	for i, t := range rep.Tables(n) {
		if table == strconv.Itoa(i) {
			file = t.File
			err = figures.WriteCSV(&b, t.Shown, t.Headings, t.Name)
		}
	}
	for i, t := range rep.Timings(n) {
		if table == "t"+strconv.Itoa(i) {
			file = t.File
			err = figures.WriteTimingsCSV(&b, t.Timings, t.TimingHeadings, t.Name)
		}
	}
	if err != nil {
		s.fail(w, r, sess, err)
		return
	}
	if file == "" {
		s.notFound(w, r, sess)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+file+"-"+from.String()+"-"+to.String()+`.csv"`)
	w.Write(b.Bytes())
}

// withValues is v with more's values added.
func withValues(v, more url.Values) url.Values {
	for k, x := range more {
		v[k] = x
	}
	return v
}
