package slip

import "testing"

// BenchmarkRenderQuestion measures the figure issue 3 names: a question
// slip PDF with its QR code in at most 30 ms.
func BenchmarkRenderQuestion(b *testing.B) {
	r := newRenderer(b)
	for _, w := range widths[1:] {
		b.Run(w.name, func(b *testing.B) {
			q := sample()
			for b.Loop() {
				if _, err := r.RenderQuestion(q, w.opt); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderQuestionSet measures slips whose lines are set and
// drawn as images: Arabic and Tigrinya, on 80 mm paper.
func BenchmarkRenderQuestionSet(b *testing.B) {
	r := newRenderer(b)
	for _, lang := range []string{"ar", "ti"} {
		b.Run(lang, func(b *testing.B) {
			q := samples[lang]
			for b.Loop() {
				if _, err := r.RenderQuestion(q, Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRenderActivity measures an activity reminder slip.
func BenchmarkRenderActivity(b *testing.B) {
	r := newRenderer(b)
	a := sampleActivity()
	for b.Loop() {
		if _, err := r.RenderActivity(a, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNew measures the one-time cost of a Renderer: reading the fonts
// and which characters they cover.
func BenchmarkNew(b *testing.B) {
	for b.Loop() {
		r, err := New()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := r.load(); err != nil {
			b.Fatal(err)
		}
	}
}
