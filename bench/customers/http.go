package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/audit"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/demo"
	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/textkey"
)

// httpRun starts `vernost serve` on the imported database and measures,
// through HTTP on loopback, identity lookup by phone, two-word name prefix
// search and the customer card page, one request at a time, in several
// rounds; it prints p50/p99 per round and the median p99.
func httpRun(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("http", flag.ExitOnError)
	db := fs.String("db", "bench/out/bench.db", "the database the import workload filled")
	rows := fs.Int("rows", 1_000_000, "customers generated into it (the same seed), to pick existing ones")
	seed := fs.Int64("seed", 1, "generator seed used by gen")
	n := fs.Int("requests", 2000, "requests per round and workload")
	rounds := fs.Int("rounds", 5, "rounds")
	rate := fs.Int("rate", 0, "requests a second (0: each as soon as the last is answered)")
	logPath := fs.String("log", "bench/out/server.log", "where the server's log goes")
	only := fs.String("only", "", "run only the workloads whose name contains this (lookup, search, card)")
	settle := fs.Duration("settle", 15*time.Second, "wait after start-up before measuring: the server's first duplicate-matching pass takes 5 s at a million cards")
	auditLog := fs.Int("audit-log", 1_000_000, "make the audit log at least this long first, as a server in use for a while has it")
	fs.Parse(args)

	if err := fillAuditLog(ctx, *db, *auditLog, *seed); err != nil {
		return fmt.Errorf("audit log: %w", err)
	}

	bin, err := buildVernost(ctx)
	if err != nil {
		return err
	}
	token, session, err := credentials(ctx, *db)
	if err != nil {
		return err
	}
	logFile, err := os.Create(*logPath)
	if err != nil {
		return err
	}
	defer logFile.Close()
	server := &serverLog{f: logFile}
	addr, stop, err := serve(ctx, bin, *db, server)
	if err != nil {
		return err
	}
	defer stop()
	select {
	case <-time.After(*settle):
	case <-ctx.Done():
		return ctx.Err()
	}
	base := "http://" + addr
	phones, names := samples(*rows, *seed, *n)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: 4}}

	// The card page needs a public id: take them from the lookups' answers.
	var ids []string
	lookup := func(i int) (string, string) {
		return base + "/api/v1/customers/lookup?phone=" + urlEscape(phones[i%len(phones)]), "Bearer " + token
	}
	search := func(i int) (string, string) {
		return base + "/api/v1/customers?limit=20&q=" + urlEscape(names[i%len(names)]), "Bearer " + token
	}
	card := func(i int) (string, string) { return base + "/customers/" + ids[i%len(ids)], "cookie:" + session }

	for _, w := range []struct {
		name string
		url  func(int) (string, string)
	}{{"lookup by phone (API)", lookup}, {"name search, 2-word prefix (API)", search}, {"customer card (HTML)", card}} {
		if !strings.Contains(w.name, *only) && w.name != "lookup by phone (API)" {
			continue // the lookups also collect the card pages' ids
		}
		var p99s []time.Duration
		for r := 0; r < *rounds; r++ {
			server.took()
			lat := make([]time.Duration, 0, *n)
			// The measuring client collects its garbage between rounds, not
			// in the middle of a request it is timing.
			runtime.GC()
			gc := debug.SetGCPercent(-1)
			cpu0, cpuOK := readCPUTimes()
			next := time.Now()
			for i := 0; i < *n; i++ {
				u, cred := w.url(i + r**n)
				if *rate > 0 {
					next = next.Add(time.Second / time.Duration(*rate))
					time.Sleep(time.Until(next))
				}
				start := time.Now()
				body, err := get(ctx, client, u, cred)
				lat = append(lat, time.Since(start))
				if err != nil {
					return fmt.Errorf("%s: %w", w.name, err)
				}
				if w.name == "lookup by phone (API)" && len(ids) < 5000 {
					var c struct {
						ID string `json:"id"`
					}
					if json.Unmarshal(body, &c) == nil && c.ID != "" {
						ids = append(ids, c.ID)
					}
				}
			}
			cpu1, _ := readCPUTimes()
			debug.SetGCPercent(gc)
			slices.Sort(lat)
			p50, p99 := lat[len(lat)/2], lat[len(lat)*99/100]
			p99s = append(p99s, p99)
			fmt.Printf("%-34s round %d: p50 %6.2f ms  p99 %6.2f ms", w.name, r+1, ms(p50), ms(p99))
			time.Sleep(50 * time.Millisecond) // the last request's log line
			if in := server.took(); len(in) > 0 {
				slices.Sort(in)
				fmt.Printf("  (in the server: p50 %6.2f ms  p99 %6.2f ms)", ms(in[len(in)/2]), ms(in[len(in)*99/100]))
			}
			if cpuOK {
				fmt.Printf("  steal %4.1f%%", 100*stealShare(cpu0, cpu1))
			}
			fmt.Println()
		}
		slices.Sort(p99s)
		fmt.Printf("%-34s median p99 over %d rounds of %d: %.2f ms\n", w.name, *rounds, *n, ms(p99s[len(p99s)/2]))
	}
	return nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func urlEscape(s string) string { return strings.NewReplacer(" ", "%20", "+", "%2B").Replace(s) }

func get(ctx context.Context, c *http.Client, url, cred string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", url, nil)
	if err != nil {
		return nil, err
	}
	if s, ok := strings.CutPrefix(cred, "cookie:"); ok {
		req.AddCookie(&http.Cookie{Name: "vernost_session", Value: s})
	} else {
		req.Header.Set("Authorization", cred)
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("GET %s: %s: %.200s", url, resp.Status, body)
	}
	return body, err
}

// samples picks existing customers' phones (typed as people type them) and
// two-word name prefixes, from the generator that made the file.
func samples(rows int, seed int64, n int) (phones, names []string) {
	rng := rand.New(rand.NewPCG(uint64(seed), 7))
	want := map[int]bool{}
	for len(want) < n && len(want) < rows {
		want[rng.IntN(rows)] = true
	}
	g := demo.Generator{Seed: seed}
	for i := 0; i < rows && len(phones) < len(want); i++ {
		p := g.Next()
		if !want[i] {
			continue
		}
		for _, id := range p.Identities {
			if id.Kind == string(identity.Phone) {
				phones = append(phones, id.Raw)
				break
			}
		}
		fam, giv := []rune(textkey.Fold(p.FamilyName)), []rune(textkey.Fold(p.GivenName))
		names = append(names, string(fam[:min(len(fam), 3)])+" "+string(giv[:min(len(giv), 2)]))
	}
	return phones, names
}

// credentials makes a benchmark admin with an API token and a session.
func credentials(ctx context.Context, dsn string) (token, session string, err error) {
	db, err := sqldb.Open(ctx, dsn)
	if err != nil {
		return "", "", err
	}
	defer db.Close()
	clock := vernost.SystemClock{}
	log, err := audit.New(ctx, db, clock)
	if err != nil {
		return "", "", err
	}
	defer log.Close()
	a, err := auth.New(ctx, db, clock, log)
	if err != nil {
		return "", "", err
	}
	defer a.Close()
	ctx = vernost.WithActor(ctx, vernost.System)
	const login, password = "bench-admin", "bench-password-1"
	u, err := a.UserByLogin(ctx, login)
	if err != nil {
		if u, err = a.CreateUser(ctx, auth.NewUser{Login: login, Name: "Benchmark", Password: password, Role: vernost.RoleAdmin}); err != nil {
			return "", "", err
		}
	}
	if token, _, err = a.CreateToken(ctx, u.ID, "bench", []string{auth.ScopeCustomersRead}); err != nil {
		return "", "", err
	}
	if session, _, _, err = a.Login(ctx, login, password, "127.0.0.1", "bench"); err != nil {
		return "", "", err
	}
	return token, session, nil
}

// serverLog is the server's log, written to a file rather than a pipe so
// that the measuring process does no work of the server's while it
// measures; between rounds it yields the handler times the server logged,
// which tell the time spent in the server from the time between processes.
type serverLog struct {
	f   *os.File
	off int64
}

// took returns the handler times of the requests logged since the last
// call, and shows any errors logged meanwhile.
func (l *serverLog) took() []time.Duration {
	data, err := io.ReadAll(io.NewSectionReader(l.f, l.off, 1<<40))
	if err != nil {
		fmt.Fprintln(os.Stderr, "server log:", err)
		return nil
	}
	// Only whole lines; a line still being written waits for the next call.
	data = data[:bytes.LastIndexByte(data, '\n')+1]
	l.off += int64(len(data))
	var took []time.Duration
	for line := range strings.Lines(string(data)) {
		if strings.Contains(line, "level=ERROR") {
			fmt.Fprint(os.Stderr, "server: ", line)
		}
		_, rest, ok := strings.Cut(line, " took=")
		if !ok || !strings.Contains(line, "msg=request") || strings.Contains(line, "/healthz") {
			continue
		}
		rest, _, _ = strings.Cut(strings.TrimSpace(rest), " ")
		if d, err := time.ParseDuration(rest); err == nil {
			took = append(took, d)
		}
	}
	return took
}

// serve starts vernost on a free loopback port, logging to log, and waits
// until it answers.
func serve(ctx context.Context, bin, dsn string, log *serverLog) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.CommandContext(ctx, bin, "serve", "--db", dsn, "--addr", addr)
	cmd.Stderr = log.f
	if err := cmd.Start(); err != nil {
		return "", nil, err
	}
	stop := func() { cmd.Process.Signal(os.Interrupt); cmd.Wait() }
	for i := 0; i < 100; i++ {
		if resp, err := http.Get("http://" + addr + "/healthz"); err == nil {
			resp.Body.Close()
			return addr, stop, nil
		}
		time.Sleep(100 * time.Millisecond)
	}
	stop()
	return "", nil, fmt.Errorf("vernost did not start on %s", addr)
}
