package postgres

import "testing"

// DistrictFiguresPage, when set, times the district's figures page over
// the year BenchmarkDistrictFiguresYear seeds. page_bench_test.go sets
// it: as an external test it may import internal/districtweb, which
// imports this package, as this package's own tests may not.
var DistrictFiguresPage func(b *testing.B, db *DB)
