// Command customers runs the whole-system workloads of the shared customer
// record against a real vernost binary and database: import of a large CSV
// (rows/s, peak RSS), identity lookup, name search and the card page over
// HTTP (p50/p99). Results go to bench/RESULTS.md by hand, with the machine.
//
//	go run ./bench/customers gen --rows 1000000
//	go run ./bench/customers import --db bench/out/bench.db
//	go run ./bench/customers http --db bench/out/bench.db
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: customers gen|import|http [flags]")
		os.Exit(2)
	}
	var err error
	switch os.Args[1] {
	case "gen":
		err = gen(ctx, os.Args[2:])
	case "import":
		err = importRun(ctx, os.Args[2:])
	case "http":
		err = httpRun(ctx, os.Args[2:])
	default:
		err = fmt.Errorf("unknown workload %q", os.Args[1])
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "customers:", err)
		os.Exit(1)
	}
}
