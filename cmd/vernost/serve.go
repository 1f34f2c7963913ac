package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"

	"strconv"
	"time"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/auth"
	"github.com/vernost/vernost/internal/importer"
	"github.com/vernost/vernost/internal/web"
)

func init() {
	register(command{Name: "serve", Summary: "run the web server and the background workers", Run: runServe})
}

func runServe(ctx context.Context, env *Env, args []string) error {
	fs := newFlags(env, "serve", "serve [--addr HOST:PORT] [--db DSN] [--demo]")
	dsn := dbFlag(fs, env)
	addr := fs.String("addr", envOr(env, "VERNOST_ADDR", "127.0.0.1:8080"), "listen address (env VERNOST_ADDR)")
	demoFlag := fs.Bool("demo", false, "fill an empty database with a demo organisation (operators in every role, 5,000 customers)")
	baseURL := fs.String("base-url", env.Getenv("VERNOST_BASE_URL"), "public URL when behind a proxy (env VERNOST_BASE_URL)")
	secure := fs.Bool("secure-cookies", envBool(env, "VERNOST_SECURE_COOKIES"), "mark cookies Secure; set when served over HTTPS (env VERNOST_SECURE_COOKIES)")
	metricsToken := fs.String("metrics-token", env.Getenv("VERNOST_METRICS_TOKEN"), "bearer token that lets Prometheus read /metrics (env VERNOST_METRICS_TOKEN)")
	logJSON := fs.Bool("log-json", envBool(env, "VERNOST_LOG_JSON"), "log as JSON lines instead of text (env VERNOST_LOG_JSON)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	var handler slog.Handler = slog.NewTextHandler(env.Stderr, nil)
	if *logJSON {
		handler = slog.NewJSONHandler(env.Stderr, nil)
	}
	logger := slog.New(handler)

	s, err := openServices(ctx, env, *dsn)
	if err != nil {
		return err
	}
	defer s.Close()
	authSvc, err := auth.New(ctx, s.db, s.clock, s.audit)
	if err != nil {
		return err
	}
	if *demoFlag {
		if err := seedDemo(vernost.WithActor(ctx, vernost.Actor{Name: "demo", Role: vernost.RoleAdmin}), env, s, authSvc); err != nil {
			return fmt.Errorf("demo: %w", err)
		}
	}
	// Imports still running at shutdown end as failed; running the file
	// again is safe (it changes nothing already imported).
	imports, err := importer.NewJobs(ctx, s.db, s.customer, s.audit, s.clock)
	if err != nil {
		return err
	}
	defer imports.Close()
	srv, err := web.New(web.Config{BaseURL: *baseURL, SecureCookies: *secure, MetricsToken: *metricsToken},
		web.Deps{DB: s.db, Auth: authSvc, Audit: s.audit, Customers: s.customer, Imports: imports, Clock: s.clock, Logger: logger})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute,
		ErrorLog: slog.NewLogLogger(handler, slog.LevelWarn)}
	fmt.Fprintf(env.Stdout, "vernost is serving on http://%s (database %s)\n", ln.Addr(), redactDSN(*dsn))
	if *demoFlag {
		fmt.Fprintf(env.Stdout, "demo logins (password %q): %s\n", demoPassword, demoLogins())
	}

	go purgeSessions(ctx, authSvc, logger)
	go s.customer.KeepDuplicatesMatched(ctx, duplicateMatching)
	errc := make(chan error, 1)
	go func() { errc <- httpSrv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down")
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// duplicateMatching is how often likely duplicates are looked for when
// cards changed; the review list also looks when it is opened.
const duplicateMatching = 10 * time.Minute

// purgeSessions removes expired sessions and old login attempts hourly.
func purgeSessions(ctx context.Context, a *auth.Service, log *slog.Logger) {
	t := time.NewTicker(time.Hour)
	defer t.Stop()
	for {
		if n, err := a.PurgeExpired(ctx); err != nil && ctx.Err() == nil {
			log.Error("purge sessions", "err", err)
		} else if n > 0 {
			log.Info("purged expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func envOr(env *Env, key, def string) string {
	if v := env.Getenv(key); v != "" {
		return v
	}
	return def
}

func envBool(env *Env, key string) bool {
	b, _ := strconv.ParseBool(env.Getenv(key))
	return b
}
