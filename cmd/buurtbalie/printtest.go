package main

import (
	"cmp"
	"context"
	"fmt"
	"os"
	"strings"

	"buurtbalie/internal/desk"
	"buurtbalie/internal/printer"
	"buurtbalie/internal/slip"
)

// runPrintTest prints a sample question slip and says how the printer is,
// or writes the slip to a file. The sample is not stored: its code and
// link lead nowhere.
func (m *Main) runPrintTest(ctx context.Context, args []string) error {
	s := m.newSettings("print-test", "buurtbalie print-test [--lang LANG] [--out FILE.pdf] [flags]", withPrinting)
	out := s.fs.String("out", "", "write the sample slip to this PDF file instead of printing it")
	lang := s.fs.String("lang", "", "the visitor's language on the slip, e.g. ar or ti (default: the kiosk's language)")
	if err := s.parse(args, m.Getenv); err != nil {
		return err
	}
	cat, err := s.catalogue()
	if err != nil {
		return err
	}
	if *lang != "" && !cat.Has(*lang) {
		return usagef("--lang %q: there is no such language; choose one of %s", *lang, strings.Join(cat.Languages(), ", "))
	}
	slips, err := slip.New()
	if err != nil {
		return err
	}
	p := &printer.Client{URI: s.printerURI, Timeout: s.printTimeout}
	d := desk.New(nil, slips, p, cat, s.deskConfig(nil), m.logger())
	pdf, err := d.SampleSlip(ctx, *lang)
	if err != nil {
		return err
	}
	if *out != "" {
		if err := os.WriteFile(*out, pdf, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(m.Stdout, "wrote a sample slip in %s (%d bytes) to %s\n", cat.Language(cmp.Or(*lang, cat.Default())), len(pdf), *out)
		return nil
	}
	st, err := p.Status(ctx)
	if err != nil {
		return fmt.Errorf("printer %s: %w", s.printerURI, err)
	}
	fmt.Fprintf(m.Stdout, "printer %s: %s\n", s.printerURI, st)
	if _, err := p.Print(ctx, "buurtbalie-print-test", pdf); err != nil {
		return fmt.Errorf("the sample slip did not print: %w", err)
	}
	fmt.Fprintln(m.Stdout, "printed a sample slip")
	return nil
}
