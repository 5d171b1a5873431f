package figures

import (
	"math/rand/v2"
	"testing"
)

// TestSmallCellsAreHidden: 1 to 4 show "< 5", 0 and 5 up show.
func TestSmallCellsAreHidden(t *testing.T) {
	s := Suppress(Table{Rows: []string{"geld", "wonen"}, Cols: []string{"W49", "W50"},
		Cells: [][]int{{0, 12}, {7, 9}}})
	for i, row := range s.Cells {
		for j, v := range row {
			if v.Hidden {
				t.Errorf("cell %d,%d (%d) hidden", i, j, v.N)
			}
		}
	}
	if s.Total.String() != "28" || s.RowTotals[0].String() != "12" {
		t.Errorf("totals %v %v", s.Total, s.RowTotals)
	}
	s = Suppress(Table{Rows: []string{"geld"}, Cols: []string{"nl", "tr", "ar"}, Cells: [][]int{{3, 10, 12}}})
	if s.Cells[0][0].String() != "< 5" || s.Cells[0][1].String() != "x" {
		t.Errorf("3 and the 10 guarding it show as %q and %q, want < 5 and x", s.Cells[0][0], s.Cells[0][1])
	}
}

// TestNoCellByFromTotals is the subtraction case: with a row total of 25
// and 10 and 12 shown, a hidden 3 would be 25 − 10 − 12. A second cell
// of the row (and of the hidden cell's column) is hidden as well.
func TestNoCellBySubtraction(t *testing.T) {
	s := Suppress(Table{Rows: []string{"geld", "wonen"}, Cols: []string{"nl", "tr", "ar"},
		Cells: [][]int{{3, 10, 12}, {20, 30, 40}}})
	if !s.Cells[0][0].Hidden || !s.Cells[0][1].Hidden {
		t.Errorf("row geld %v: the 3 and the next smallest should be hidden", s.Cells[0])
	}
	// Column nl now has one hidden cell: its 20 goes too.
	if !s.Cells[1][0].Hidden {
		t.Errorf("column nl %v %v: the 3 could be worked out from its total", s.Cells[0][0], s.Cells[1][0])
	}
	assertNoLineGivesAway(t, s)
}

// TestTotalOfSmallCellsIsHidden: 2 and 3 hidden, their total 5 would
// say what they add up to.
func TestTotalOfSmallCellsIsHidden(t *testing.T) {
	s := Suppress(Table{Rows: []string{"geld"}, Cols: []string{"nl", "tr"}, Cells: [][]int{{2, 3}}})
	if !s.RowTotals[0].Hidden || !s.Total.Hidden {
		t.Errorf("total of two hidden cells shown: %v %v", s.RowTotals[0], s.Total)
	}
}

// TestRandomTablesGiveNothingAway: in random tables, no row or column
// (its total included) has exactly one hidden figure, every small count
// is hidden, and no shown total adds up hidden cells only.
func TestRandomTablesGiveNothingAway(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for range 2000 {
		nr, nc := 1+r.IntN(6), 1+r.IntN(8)
		tb := Table{Rows: make([]string, nr), Cols: make([]string, nc), Cells: make([][]int, nr)}
		for i := range tb.Cells {
			tb.Cells[i] = make([]int, nc)
			for j := range tb.Cells[i] {
				switch r.IntN(3) {
				case 0:
					tb.Cells[i][j] = r.IntN(MinCount)
				default:
					tb.Cells[i][j] = r.IntN(40)
				}
			}
		}
		s := Suppress(tb)
		for i := range tb.Cells {
			for j, c := range tb.Cells[i] {
				if c > 0 && c < MinCount && !s.Cells[i][j].Hidden {
					t.Fatalf("%v: small cell %d shown", tb.Cells, c)
				}
			}
		}
		assertNoLineGivesAway(t, s)
	}
}

func assertNoLineGivesAway(t *testing.T, s Shown) {
	t.Helper()
	line := func(parts []Value, total Value) {
		hiddenN, bigParts := 0, 0
		for _, v := range append(parts, total) {
			if v.Hidden {
				hiddenN++
			}
		}
		for _, v := range parts {
			if v.N >= MinCount {
				bigParts++
			}
		}
		if hiddenN == 1 {
			t.Fatalf("a line %v = %v has exactly one hidden figure", parts, total)
		}
		if total.N > 0 && !total.Hidden && bigParts == 0 {
			t.Fatalf("a shown total %v adds up small cells only: %v", total, parts)
		}
	}
	for i, row := range s.Cells {
		line(row, s.RowTotals[i])
	}
	for j := range s.Cols {
		var col []Value
		for i := range s.Cells {
			col = append(col, s.Cells[i][j])
		}
		line(col, s.ColTotals[j])
	}
	line(s.ColTotals, s.Total)
	line(s.RowTotals, s.Total)
}
