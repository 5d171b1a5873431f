package districtweb

import (
	"context"
	"strconv"

	"buurtbalie/internal/catalogue"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/postgres"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/web"
)

// FigureStore is what the figures need of the district's database: the
// figures of one house, or with postgres.AllHouses of all of them.
type FigureStore interface {
	Houses(ctx context.Context) ([]postgres.House, error)
	Counts(ctx context.Context, houseID int64, measure string, from, to programme.Date) ([]figures.Count, error)
	DurationHistogram(ctx context.Context, houseID int64, measure string, from, to programme.Date) ([]postgres.DurationBucket, error)
	ScreenUse(ctx context.Context, houseID int64, from, to programme.Date) ([]figures.ScreenCount, error)
}

// Figures offers the district's figures to internal/web's /figures:
// all houses together first, then each house (revoked ones too: what
// they sent stays).
type Figures struct {
	Store FigureStore
	// District is the district's name, for all houses together: the
	// PDF's heading. "" says "all houses together".
	District string
}

// allHouses is ?house= for the district as a whole.
const allHouses = "all"

// FigureChoices lists all houses together and each house.
func (f Figures) FigureChoices(ctx context.Context, l *catalogue.Translator) (string, []web.FigureChoice, error) {
	hs, err := f.Store.Houses(ctx)
	if err != nil {
		return "", nil, err
	}
	all := l.T("district.figures.all")
	if f.District != "" {
		all = l.Tf("district.figures.all_of", map[string]any{"District": f.District})
	}
	out := []web.FigureChoice{{ID: allHouses, Name: all}}
	for _, h := range hs {
		out = append(out, web.FigureChoice{ID: strconv.FormatInt(h.ID, 10), Name: h.Name})
	}
	return l.T("district.figures.house"), out, nil
}

// FigureSource is the figures of the house with id, or of all houses.
func (f Figures) FigureSource(id string) figures.Source {
	if id == allHouses {
		return HouseFigures{Store: f.Store, House: postgres.AllHouses}
	}
	n, _ := strconv.ParseInt(id, 10, 64) // one of FigureChoices'
	return HouseFigures{Store: f.Store, House: n}
}

// HouseFigures is a figures.Source over the figures the district keeps
// of one house, or with House postgres.AllHouses of the district.
//
// The district has the figures the houses send, and only those: not the
// questions still waiting in a house (Unclaimed: a question that waited
// too long is counted once it is picked up, in figures.MeasureLate),
// nor the houses' programmes as figures (Occurrences), so those parts of
// the report stay empty.
type HouseFigures struct {
	Store FigureStore
	House int64
}

// Counts are the house's counts of measure.
func (h HouseFigures) Counts(ctx context.Context, measure string, from, to programme.Date) ([]figures.Count, error) {
	return h.Store.Counts(ctx, h.House, measure, from, to)
}

// Durations are the house's step times of measure, without their days
// (as figures.Source allows), read as a histogram: a district's year is
// a few thousand rows that way rather than a row per step.
func (h HouseFigures) Durations(ctx context.Context, measure string, from, to programme.Date) ([]figures.Duration, error) {
	buckets, err := h.Store.DurationHistogram(ctx, h.House, measure, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]figures.Duration, 0, len(buckets))
	for _, b := range buckets {
		out = append(out, figures.Duration{Key: b.Key, Minutes: b.Minutes, Weight: b.N})
	}
	return out, nil
}

// ScreenUse is how often each screen of the house's kiosks opened.
func (h HouseFigures) ScreenUse(ctx context.Context, from, to programme.Date) ([]figures.ScreenCount, error) {
	return h.Store.ScreenUse(ctx, h.House, from, to)
}

// Unclaimed is none: see HouseFigures.
func (h HouseFigures) Unclaimed(context.Context, programme.Date, programme.Date) ([]figures.Count, error) {
	return nil, nil
}

// Occurrences is none: see HouseFigures.
func (h HouseFigures) Occurrences(context.Context, programme.Date, programme.Date) ([]programme.Occurrence, error) {
	return nil, nil
}
