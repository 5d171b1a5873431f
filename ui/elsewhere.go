package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"

	"buurtbalie/internal/district"
	"buurtbalie/internal/programme"
	"buurtbalie/internal/sharing"
)

// Elsewhere gives the other houses' activities of a category ("" for
// all) on a day, as the district last sent them; none while the house is
// in no district.
type Elsewhere interface {
	ActivitiesOn(ctx context.Context, day programme.Date, category string) ([]district.Activity, error)
}

// loadElsewhere reads the other houses' activities today, of every
// category, for "Elders in de buurt vandaag": on a reload, so that
// choosing a category reads nothing and a redraw neither.
func (k *Kiosk) loadElsewhere() {
	k.elsewhere = nil
	if k.opt.Elsewhere == nil {
		return
	}
	acts, err := k.opt.Elsewhere.ActivitiesOn(context.Background(), k.day, "")
	if err != nil {
		k.log.Error("load activities elsewhere", "err", err)
		return
	}
	k.elsewhere = acts
}

// elsewhereNow is what "Elders in de buurt vandaag" shows now: the next
// few of the chosen category in other houses, none when they are over.
func (k *Kiosk) elsewhereNow() []district.Activity {
	if k.filter == "" {
		return nil
	}
	return sharing.ElsewhereToday(k.elsewhere, k.filter, k.now(), k.opt.Location, sharing.MaxElsewhere)
}

// elsewhereSection is the calm part under a category's list: a heading
// and a line or two per activity, not tappable (its details are the
// other house's).
func (k *Kiosk) elsewhereSection() []fyne.CanvasObject {
	acts := k.elsewhereNow()
	if len(acts) == 0 {
		return nil
	}
	objs := []fyne.CanvasObject{container.NewPadded(text(k.tr.T("today.elsewhere"), theme.SizeNameSubHeadingText, true))}
	for _, a := range acts {
		times := text(k.elsewhereTimes(a), theme.SizeNameSubHeadingText, true)
		title := text(a.Title, theme.SizeNameSubHeadingText, false)
		where := a.House
		if a.Room != "" {
			where += " · " + a.Room
		}
		house := text(where, theme.SizeNameText, false)
		info := container.NewVBox(times, ellipsised(title, title), ellipsised(house, house))
		bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
		bg.StrokeColor, bg.StrokeWidth = theme.Color(ColorNameDimmed), 2
		bg.CornerRadius = theme.Size(theme.SizeNameInputRadius)
		objs = append(objs, container.NewStack(bg, container.NewPadded(container.NewPadded(info))))
	}
	return objs
}

// elsewhereTimes is an activity's times as the kiosk writes them.
func (k *Kiosk) elsewhereTimes(a district.Activity) string {
	start, err1 := programme.ParseTimeOfDay(a.Start)
	end, err2 := programme.ParseTimeOfDay(a.End)
	if err1 != nil || err2 != nil {
		return a.Start + " – " + a.End
	}
	return k.tr.Clock(start.On(k.day, k.opt.Location)) + " – " + k.tr.Clock(end.On(k.day, k.opt.Location))
}

// elsewhereSays reads the section aloud: its heading, then each
// activity's time, title and house, in the house's language where the
// other house wrote them.
func (k *Kiosk) elsewhereSays() []string {
	acts := k.elsewhereNow()
	if len(acts) == 0 {
		return nil
	}
	lines := []string{k.tr.T("today.elsewhere")}
	for _, a := range acts {
		lines = append(lines, k.elsewhereTimes(a)+", "+k.heard(nil, a.Title)+", "+k.heard(nil, a.House))
	}
	return lines
}
