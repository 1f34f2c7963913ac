package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"time"
)

// importRun builds vernost and imports the generated file into a fresh
// database, reporting rows/s and the import process's peak RSS.
func importRun(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("import", flag.ExitOnError)
	db := fs.String("db", "bench/out/bench.db", "database: a SQLite path (removed first) or a postgres:// DSN (its tables must not exist)")
	file := fs.String("file", "bench/out/customers.csv", "file to import")
	rows := fs.Int("rows", 1_000_000, "rows in the file, for rows/s")
	batch := fs.String("batch", "", "rows per transaction, passed to vernost import --batch")
	fs.Parse(args)
	bin, err := buildVernost(ctx)
	if err != nil {
		return err
	}
	if !strings.HasPrefix(*db, "postgres") {
		for _, suffix := range []string{"", "-wal", "-shm"} {
			os.Remove(*db + suffix)
		}
	}
	if out, err := exec.CommandContext(ctx, bin, "migrate", "--db", *db).CombinedOutput(); err != nil {
		return fmt.Errorf("migrate: %v\n%s", err, out)
	}
	cmdArgs := []string{"import", "customers", "--db", *db, "--quiet"}
	if *batch != "" {
		cmdArgs = append(cmdArgs, "--batch", *batch)
	}
	cmd := exec.CommandContext(ctx, bin, append(cmdArgs, *file)...)
	cmd.Stderr = os.Stderr
	start := time.Now()
	out, err := cmd.Output()
	elapsed := time.Since(start)
	fmt.Print(string(out))
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	ru := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	fmt.Printf("import of %d rows: %s wall, %.0f rows/s, peak RSS %d MB, CPU user %.1fs sys %.1fs\n",
		*rows, elapsed.Round(time.Millisecond), float64(*rows)/elapsed.Seconds(), ru.Maxrss/1024,
		time.Duration(ru.Utime.Nano()).Seconds(), time.Duration(ru.Stime.Nano()).Seconds())
	return nil
}

// buildVernost compiles the binary once into bench/out.
func buildVernost(ctx context.Context) (string, error) {
	bin := "bench/out/vernost"
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/vernost")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("build vernost: %w", err)
	}
	return bin, nil
}
