// Package figures holds the rules of the anonymous figures a house shows
// its funders: the periods they are counted over, and the small-cell rule
// that keeps a count from pointing to a person.
package figures

import "strconv"

// MinCount is the smallest count shown for a cell that could point to a
// person (a topic × language × week): below it the cell says "< 5".
const MinCount = 5

// A Table is counts by row and column (topic × week, say), with the
// totals of its rows, of its columns and of the whole.
type Table struct {
	Rows, Cols []string
	Cells      [][]int // [row][col]
}

// Value is one shown figure: a count, or hidden.
type Value struct {
	N      int
	Hidden bool
	// Guard marks a figure hidden although it is not small, so that a
	// small one cannot be worked out from it: shown as "x", since "< 5"
	// would be untrue.
	Guard bool
}

// Guarded is how a figure hidden to guard a small one shows, as
// Statistics Netherlands marks a figure kept secret.
const Guarded = "x"

// String is the count, "< 5" for a small one, or "x" for one hidden to
// guard a small one.
func (v Value) String() string {
	switch {
	case v.Hidden && v.Guard:
		return Guarded
	case v.Hidden:
		return "< " + strconv.Itoa(MinCount)
	}
	return strconv.Itoa(v.N)
}

// Shown is a table as it may be shown or exported.
type Shown struct {
	Rows, Cols []string
	Cells      [][]Value
	RowTotals  []Value
	ColTotals  []Value
	Total      Value
}

// Suppress applies the small-cell rule to t:
//   - a count from 1 to MinCount-1 is hidden (0 points to nobody);
//   - a total that only adds up small cells is hidden too;
//   - no row or column (its total included) has exactly one hidden
//     figure, so none can be worked out by subtraction: where one would,
//     the smallest other figure in it is hidden as well.
//
// The totals are counted from all cells, hidden or not.
func Suppress(t Table) Shown {
	nr, nc := len(t.Rows), len(t.Cols)
	// The table with its totals: row nr is the column totals, column nc
	// the row totals, [nr][nc] the whole.
	n := make([][]int, nr+1)
	for i := range n {
		n[i] = make([]int, nc+1)
	}
	for i := 0; i < nr; i++ {
		for j := 0; j < nc; j++ {
			c := 0
			if i < len(t.Cells) && j < len(t.Cells[i]) {
				c = t.Cells[i][j]
			}
			n[i][j] = c
			n[i][nc] += c
			n[nr][j] += c
			n[nr][nc] += c
		}
	}
	hide, small := make([][]bool, nr+1), make([][]bool, nr+1)
	for i := range hide {
		hide[i], small[i] = make([]bool, nc+1), make([]bool, nc+1)
		for j := range hide[i] {
			small[i][j] = n[i][j] > 0 && n[i][j] < MinCount
			hide[i][j] = small[i][j]
		}
	}
	// A line is a row or a column of the table with its total last.
	type cell struct{ i, j int }
	var lines [][]cell
	for i := 0; i <= nr; i++ {
		var l []cell
		for j := 0; j <= nc; j++ {
			l = append(l, cell{i, j})
		}
		lines = append(lines, l)
	}
	for j := 0; j <= nc; j++ {
		var l []cell
		for i := 0; i <= nr; i++ {
			l = append(l, cell{i, j})
		}
		lines = append(lines, l)
	}
	for changed := true; changed; {
		changed = false
		for _, l := range lines {
			parts, total := l[:len(l)-1], l[len(l)-1]
			hidden, bigParts := 0, 0
			for _, c := range l {
				if hide[c.i][c.j] {
					hidden++
				}
			}
			for _, c := range parts {
				if n[c.i][c.j] > 0 && !small[c.i][c.j] {
					bigParts++
				}
			}
			// A total of small cells only would tell what they add up to.
			if !hide[total.i][total.j] && n[total.i][total.j] > 0 && bigParts == 0 {
				hide[total.i][total.j] = true
				changed = true
				continue
			}
			if hidden != 1 {
				continue
			}
			// One hidden figure: the line's others give it away. Hide the
			// smallest other one that is not zero (a zero gives nothing
			// away), the total when there is none.
			best := cell{-1, -1}
			for _, c := range parts {
				if !hide[c.i][c.j] && n[c.i][c.j] > 0 && (best.i < 0 || n[c.i][c.j] < n[best.i][best.j]) {
					best = c
				}
			}
			if best.i < 0 {
				best = total
			}
			if !hide[best.i][best.j] {
				hide[best.i][best.j] = true
				changed = true
			}
		}
	}
	s := Shown{Rows: t.Rows, Cols: t.Cols, Cells: make([][]Value, nr), RowTotals: make([]Value, nr), ColTotals: make([]Value, nc)}
	v := func(i, j int) Value { return Value{N: n[i][j], Hidden: hide[i][j], Guard: hide[i][j] && !small[i][j]} }
	for i := 0; i < nr; i++ {
		s.Cells[i] = make([]Value, nc)
		for j := 0; j < nc; j++ {
			s.Cells[i][j] = v(i, j)
		}
		s.RowTotals[i] = v(i, nc)
	}
	for j := 0; j < nc; j++ {
		s.ColTotals[j] = v(nr, j)
	}
	s.Total = v(nr, nc)
	return s
}
