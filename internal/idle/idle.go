// Package idle runs background work on an operating-system thread that gets
// only the CPU time no other thread wants.
//
// The audit writer is the case that asked for it. On a 2-core machine its
// batch of a few milliseconds, sharing the cores with a lookup and the
// phone system that asked for it, is what made the lookup's p99 miss its
// 2 ms (bench/results/customers-api.md). A lower nice value did not help:
// the scheduler still lets a running thread finish its slice before a
// woken one gets the core. A SCHED_IDLE thread gives the core up at once.
//
// Such a thread can starve on a saturated machine, and when it is put off
// in the middle of its work it holds what others may need: the database's
// write lock, one of the Go scheduler's GOMAXPROCS slots, a stop-the-world
// that waits for it. An unprivileged process cannot raise the thread again, so
// the worker watches how long its work waited for a core and, after a run
// that waited longer than starvedAfter, leaves the next runs to the caller,
// at normal priority, for normalFor.
package idle

import (
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"time"
)

const (
	// starvedAfter is the run-queue wait that marks a run as starved. With
	// lookups back to back on 2 cores, the audit writer's batches waited
	// 4 ms for a core at the median, 13 ms at p90 and 80 ms at most; a
	// quarter of a second means the machine has no idle time to give, and
	// is as long as a batch should hold the database's write lock.
	starvedAfter = 250 * time.Millisecond
	// normalFor is how long work stays at normal priority after a starved
	// run, before the idle thread is tried again.
	normalFor = time.Minute
)

// Worker runs functions one at a time on its idle thread.
type Worker struct {
	jobs    chan job
	lowered bool // false where the thread could not be lowered: Do runs f itself

	mu          sync.Mutex
	normalUntil time.Time
	now         func() time.Time
}

type job struct {
	f    func()
	done chan result
}

type result struct {
	waited time.Duration // on the run queue while f ran
	panic  any
}

// thread is what the operating system offers: lower makes the calling
// thread idle-priority, waited says how long it has waited for a core.
type thread struct {
	lower  func() error
	waited func() (time.Duration, error)
}

// Start starts a worker. Where the operating system has no idle priority,
// or refuses it, its work runs at normal priority, as if there were none.
func Start() *Worker { return start(osThread, time.Now) }

func start(t thread, now func() time.Time) *Worker {
	w := &Worker{jobs: make(chan job), now: now}
	ready := make(chan bool)
	go w.run(t, ready)
	w.lowered = <-ready
	return w
}

func (w *Worker) run(t thread, ready chan<- bool) {
	// Never unlocked: the lowered thread ends with this goroutine instead
	// of going back to the runtime to run someone else's.
	runtime.LockOSThread()
	// Lowered only where starvation can be seen.
	_, err := t.waited()
	if err == nil {
		err = t.lower()
	}
	if err != nil {
		slog.Debug("background work stays at normal priority", "err", err)
	}
	ready <- err == nil
	if err != nil {
		return // Do runs f itself; the locked thread ends here
	}
	for j := range w.jobs {
		before, _ := t.waited()
		p := call(j.f)
		after, _ := t.waited()
		j.done <- result{waited: after - before, panic: p}
	}
}

func call(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// Do runs f on the idle thread and returns when it has; a panic in f
// panics here. Calls are serialized.
func (w *Worker) Do(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.lowered || w.now().Before(w.normalUntil) {
		f()
		return
	}
	done := make(chan result, 1)
	w.jobs <- job{f: f, done: done}
	r := <-done
	if r.panic != nil {
		panic(fmt.Sprintf("idle worker: %v", r.panic))
	}
	if r.waited > starvedAfter {
		w.normalUntil = w.now().Add(normalFor)
		slog.Warn("background work waited long for a CPU; it runs at normal priority for a while",
			"waited", r.waited.Round(time.Millisecond), "for", normalFor)
	}
}

// Stop ends the worker and its thread. Later calls to Do run f themselves.
func (w *Worker) Stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lowered {
		close(w.jobs)
		w.lowered = false
	}
}
