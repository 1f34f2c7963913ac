package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/vernost/vernost/internal/demo"
)

// gen writes a customer import file of generated people.
func gen(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	rows := fs.Int("rows", 1_000_000, "customers to generate")
	out := fs.String("out", "bench/out/customers.csv", "output file")
	seed := fs.Int64("seed", 1, "generator seed")
	cp1251 := fs.Bool("cp1251", true, "Windows-1251 with ';', as older Russian systems export")
	fs.Parse(args)
	if err := os.MkdirAll("bench/out", 0o755); err != nil {
		return err
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriterSize(f, 1<<20)
	opt := demo.CSVOptions{CP1251: *cp1251}
	if *cp1251 {
		opt.Delimiter = ';'
	}
	if err := demo.WriteCSV(w, *rows, *seed, opt); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	st, _ := f.Stat()
	fmt.Printf("wrote %d customers to %s (%d MB)\n", *rows, *out, st.Size()>>20)
	return nil
}
