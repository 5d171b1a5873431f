// Package report lays out a house's figures as an A4 PDF (gofpdf) to
// attach to a subsidy report: the house, the period, the headline
// numbers, the charts and every table, with the small-cell rule applied
// as on the page. Text is real PDF text in DejaVu Sans (the slips' font),
// so it can be searched and copied.
package report

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/jung-kurt/gofpdf"

	"buurtbalie/assets"
	"buurtbalie/internal/figures"
	"buurtbalie/internal/programme"
)

// Document is what the PDF says besides the figures.
type Document struct {
	House     string // "Buurthuis De Linde"
	Title     string // "Jaarverslag 2026"
	Period    string // "1 januari – 31 december 2026"
	Made      string // "Gemaakt op 3 december 2026"
	Headlines [][2]string
}

// Words are the few words the PDF writes itself, in its language.
type Words struct {
	Charts, Tables, Page string // "Grafieken", "Tabellen", "Pagina %d"
}

// DutchWords and EnglishWords are Words for nl and en.
var (
	DutchWords   = Words{Charts: "Grafieken", Tables: "Tabellen", Page: "Pagina %d"}
	EnglishWords = Words{Charts: "Charts", Tables: "Tables", Page: "Page %d"}
)

// maxCols is how many periods one table shows across A4 landscape; more
// go on in a table below.
const maxCols = 14

// PDF lays out r.
func PDF(d Document, r figures.Report, n figures.Namer, w Words) ([]byte, error) {
	regular, err := assets.Fonts.ReadFile("fonts/DejaVuSans.ttf")
	if err != nil {
		return nil, err
	}
	bold, err := assets.Fonts.ReadFile("fonts/DejaVuSans-Bold.ttf")
	if err != nil {
		return nil, err
	}
	pdf := gofpdf.New("L", "mm", "A4", "")
	pdf.SetCatalogSort(true)
	pdf.AddUTF8FontFromBytes("dejavu", "", regular)
	pdf.AddUTF8FontFromBytes("dejavu", "B", bold)
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 15)
	pdf.SetFooterFunc(func() {
		pdf.SetY(-12)
		pdf.SetFont("dejavu", "", 8)
		pdf.CellFormat(0, 5, d.House+" · "+d.Title+" · "+fmt.Sprintf(w.Page, pdf.PageNo()), "", 0, "C", false, 0, "")
	})
	pdf.AddPage()
	pdf.SetFont("dejavu", "B", 20)
	pdf.CellFormat(0, 10, d.Title, "", 1, "L", false, 0, "")
	pdf.SetFont("dejavu", "", 12)
	pdf.CellFormat(0, 7, d.House+" · "+d.Period, "", 1, "L", false, 0, "")
	pdf.SetFont("dejavu", "", 9)
	pdf.CellFormat(0, 6, d.Made, "", 1, "L", false, 0, "")
	pdf.Ln(4)
	// The headline numbers, large, side by side.
	x := pdf.GetX()
	for _, h := range d.Headlines {
		pdf.SetXY(x, pdf.GetY())
		pdf.SetFont("dejavu", "B", 22)
		pdf.CellFormat(60, 10, h[1], "", 0, "L", false, 0, "")
		x += 62
	}
	pdf.Ln(10)
	for _, h := range d.Headlines {
		pdf.SetFont("dejavu", "", 9)
		pdf.CellFormat(62, 5, h[0], "", 0, "L", false, 0, "")
	}
	pdf.Ln(10)

	pdf.SetFont("dejavu", "B", 14)
	pdf.CellFormat(0, 8, w.Charts, "", 1, "L", false, 0, "")
	for _, c := range r.ChartData(n) {
		chart(pdf, c)
	}
	pdf.AddPage()
	pdf.SetFont("dejavu", "B", 14)
	pdf.CellFormat(0, 8, w.Tables, "", 1, "L", false, 0, "")
	for _, t := range r.Tables(n) {
		table(pdf, t)
	}
	for _, t := range r.Timings(n) {
		timings(pdf, t)
	}
	pdf.Ln(2)
	pdf.SetFont("dejavu", "", 8)
	pdf.MultiCell(0, 4, figures.Legend(n.Lang), "", "L", false)
	var b bytes.Buffer
	if err := pdf.Output(&b); err != nil {
		return nil, fmt.Errorf("figures PDF: %w", err)
	}
	return b.Bytes(), nil
}

// chart draws c's bars with filled rectangles: lying down, label left;
// standing, label below.
func chart(pdf *gofpdf.Fpdf, c figures.ChartData) {
	const rowH, labelW, plotW, plotH = 5.0, 55.0, 150.0, 40.0
	need := 8 + plotH + 12
	if c.Horizontal {
		need = 8 + rowH*float64(len(c.Bars)) + 4
	}
	if pdf.GetY()+need > 195 {
		pdf.AddPage()
	}
	pdf.SetFont("dejavu", "B", 10)
	pdf.CellFormat(0, 6, c.Title, "", 1, "L", false, 0, "")
	most := 1
	for _, b := range c.Bars {
		if !b.Value.Hidden && b.Value.N > most {
			most = b.Value.N
		}
		if b.Mark > most {
			most = b.Mark
		}
	}
	left, top := pdf.GetX(), pdf.GetY()
	pdf.SetFont("dejavu", "", 7)
	if c.Horizontal {
		for i, b := range c.Bars {
			y := top + float64(i)*rowH
			pdf.SetXY(left, y)
			pdf.CellFormat(labelW-2, rowH, b.Label, "", 0, "R", false, 0, "")
			if b.Value.Hidden {
				pdf.CellFormat(20, rowH, b.Value.String(), "", 0, "L", false, 0, "")
				continue
			}
			wdt := float64(b.Value.N) / float64(most) * plotW
			pdf.SetFillColor(11, 92, 92)
			pdf.Rect(left+labelW, y+0.8, wdt, rowH-1.6, "F")
			if b.Mark > 0 {
				pdf.SetFillColor(179, 38, 30)
				pdf.Rect(left+labelW+float64(b.Mark)/float64(most)*plotW-0.4, y+0.2, 0.8, rowH-0.4, "F")
			}
			pdf.SetXY(left+labelW+wdt+1, y)
			pdf.CellFormat(20, rowH, fmt.Sprint(b.Value.N), "", 0, "L", false, 0, "")
		}
		pdf.SetXY(left, top+rowH*float64(len(c.Bars))+4)
		return
	}
	colW := plotW / float64(max(len(c.Bars), 12))
	for i, b := range c.Bars {
		x := left + labelW + float64(i)*colW
		pdf.SetXY(x, top+plotH+1)
		pdf.CellFormat(colW, 4, shortLabel(b.Label), "", 0, "C", false, 0, "")
		if b.Value.Hidden {
			pdf.SetXY(x, top+plotH-4)
			pdf.CellFormat(colW, 4, b.Value.String(), "", 0, "C", false, 0, "")
			continue
		}
		h := float64(b.Value.N) / float64(most) * plotH
		pdf.SetFillColor(11, 92, 92)
		pdf.Rect(x+colW*0.15, top+plotH-h, colW*0.7, h, "F")
		pdf.SetXY(x, top+plotH-h-4)
		pdf.CellFormat(colW, 4, fmt.Sprint(b.Value.N), "", 0, "C", false, 0, "")
	}
	pdf.SetDrawColor(30, 27, 24)
	pdf.Line(left+labelW, top+plotH, left+labelW+plotW, top+plotH)
	pdf.SetXY(left, top+plotH+8)
}

// shortLabel fits a period's label under its bar: "2026-W49" → "W49".
func shortLabel(s string) string {
	if i := strings.LastIndex(s, "-"); i >= 0 && len(s) > 5 {
		return s[i+1:]
	}
	return s
}

// table writes t, maxCols periods at a time.
func table(pdf *gofpdf.Fpdf, t figures.NamedTable) {
	s := t.Shown
	for start := 0; start == 0 || start < len(s.Cols); start += maxCols {
		end := min(start+maxCols, len(s.Cols))
		last := end == len(s.Cols)
		rows := len(s.Rows) + 2
		if pdf.GetY()+6+float64(rows)*5 > 195 {
			pdf.AddPage()
		}
		pdf.SetFont("dejavu", "B", 10)
		pdf.CellFormat(0, 6, t.Title, "", 1, "L", false, 0, "")
		const labelW, colW = 55.0, 15.0
		line := func(bold bool, label string, cells []string, total string) {
			style := ""
			if bold {
				style = "B"
			}
			pdf.SetFont("dejavu", style, 8)
			pdf.CellFormat(labelW, 5, label, "B", 0, "L", false, 0, "")
			for _, c := range cells {
				pdf.CellFormat(colW, 5, c, "B", 0, "R", false, 0, "")
			}
			if last {
				pdf.CellFormat(colW+3, 5, total, "B", 0, "R", false, 0, "")
			}
			pdf.Ln(5)
		}
		line(true, t.Row, s.Cols[start:end], t.Total)
		for i, key := range s.Rows {
			var cells []string
			for _, v := range s.Cells[i][start:end] {
				cells = append(cells, v.String())
			}
			line(false, t.Name(key), cells, s.RowTotals[i].String())
		}
		var totals []string
		for _, v := range s.ColTotals[start:end] {
			totals = append(totals, v.String())
		}
		line(true, t.Total, totals, s.Total.String())
		pdf.Ln(3)
		if last {
			break
		}
	}
}

// timings writes a timing table.
func timings(pdf *gofpdf.Fpdf, t figures.NamedTiming) {
	if pdf.GetY()+6+float64(len(t.Timings)+1)*5 > 195 {
		pdf.AddPage()
	}
	pdf.SetFont("dejavu", "B", 10)
	pdf.CellFormat(0, 6, t.Title, "", 1, "L", false, 0, "")
	widths := []float64{55, 20, 40, 45}
	row := func(bold bool, cells ...string) {
		style := ""
		if bold {
			style = "B"
		}
		pdf.SetFont("dejavu", style, 8)
		for i, c := range cells {
			align := "R"
			if i == 0 {
				align = "L"
			}
			pdf.CellFormat(widths[i], 5, c, "B", 0, align, false, 0, "")
		}
		pdf.Ln(5)
	}
	for i, l := range figures.TimingLines(t.Timings, t.TimingHeadings, t.Name) {
		row(i == 0, l...)
	}
	pdf.Ln(3)
}

// Title names a report of from..to: a whole year is a "Jaarverslag", a
// whole quarter a "Kwartaalverslag", anything else its dates.
func Title(from, to programme.Date, lang string) string {
	year, quarter, other := "Jaarverslag %d", "Kwartaalverslag %d-K%d", "Cijfers %s – %s"
	if lang == "en" {
		year, quarter, other = "Annual report %d", "Quarterly report %d-Q%d", "Figures %s – %s"
	}
	switch {
	case from == programme.NewDate(from.Year, 1, 1) && to == programme.NewDate(from.Year, 12, 31):
		return fmt.Sprintf(year, from.Year)
	case from.Day == 1 && (from.Month-1)%3 == 0 && to == programme.NewDate(from.Year, from.Month+3, 1).AddDays(-1):
		return fmt.Sprintf(quarter, from.Year, (int(from.Month)-1)/3+1)
	}
	return fmt.Sprintf(other, from, to)
}
