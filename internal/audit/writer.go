package audit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/vernost/vernost/internal/idle"
	"github.com/vernost/vernost/internal/sqldb"
)

// Entries recorded outside a transaction — the views and lookups that make
// up most of the log — are written by a background writer in batches, so
// that reading a card or answering a phone system's lookup never waits for
// the database's single writer. Changes are audited inside their own
// transaction and are not affected. List and Export flush first, so a
// reader always sees its own entries; Close drains the queue. The price: a
// crash loses the entries of the last moment (at most one batch in flight
// and what waits in the queue), never a change's.
//
// Recording an entry only appends it to a queue under a mutex; the writer
// goroutine is woken once per batch rather than per entry, and writes the
// batch with multi-row inserts. It writes on an idle-priority thread (see
// package idle): its work competes with the requests for the same cores,
// and at 2,500 lookups a second, sharing them at equal priority, it took
// the lookup's p99 over HTTP from 1.5 ms to 2.1 ms against an audit log of
// a million entries (bench/results/customers-api.md).
type writer struct {
	log     *Log
	idle    *idle.Worker  // where batches are written
	wake    chan struct{} // holds a token when the queue has entries to write
	flushes chan chan struct{}
	quit    chan struct{} // closed by close
	done    chan struct{}

	mu     sync.Mutex
	room   *sync.Cond // signalled when the writer takes the queue
	queue  []entry
	closed bool
}

// entry is one row, with everything taken from the request already.
type entry struct {
	at                                                  time.Time
	actorID                                             any
	actorName, action, objectType, objectID, detail, ip string
}

const (
	// queueSize is how many entries may wait; past it, Record blocks:
	// back-pressure, never loss.
	queueSize = 8192
	// batchSize entries are written without waiting out the linger.
	batchSize = 1000
	// linger is how long the writer waits for more entries after the first:
	// every commit empties the page caches of all SQLite readers, so a
	// stream of lookups is written in batches. Lingers from 2 ms to 1 s
	// measured alike within this machine's noise
	// (bench/results/customers-api.md); 20 ms bounds what a crash loses.
	linger = 20 * time.Millisecond
)

// entryInsert writes a batch with a few multi-row statements instead of
// one statement per entry.
var entryInsert = &sqldb.Insert{
	Table:   "audit_log",
	Columns: []string{"at", "actor_id", "actor_name", "action", "object_type", "object_id", "detail", "ip"},
	Blank:   []string{"object_type", "object_id", "detail", "ip"},
	Rows:    64,
}

func newWriter(l *Log) *writer {
	w := &writer{log: l, wake: make(chan struct{}, 1), flushes: make(chan chan struct{}),
		quit: make(chan struct{}), done: make(chan struct{})}
	w.room = sync.NewCond(&w.mu)
	w.idle = idle.Start()
	go w.run()
	return w
}

// add queues e; after close it is written at once instead.
func (w *writer) add(e entry) error {
	w.mu.Lock()
	for len(w.queue) >= queueSize && !w.closed {
		w.room.Wait()
	}
	if w.closed {
		w.mu.Unlock()
		return w.write([]entry{e})
	}
	w.queue = append(w.queue, e)
	n := len(w.queue)
	w.mu.Unlock()
	if n == 1 || n == batchSize {
		select {
		case w.wake <- struct{}{}:
		default: // a token is already waiting
		}
	}
	return nil
}

func (w *writer) run() {
	defer close(w.done)
	defer w.idle.Stop()
	var spare []entry // the buffer the next take gives the queue
	timer := time.NewTimer(linger)
	timer.Stop()
	for {
		var ack chan struct{} // a flush to answer once the batch is written
		select {
		case <-w.wake:
			if w.queued() < batchSize {
				// Wait for more entries, a full batch, a flush or the end.
				timer.Reset(linger)
				select {
				case <-timer.C:
				case <-w.wake:
				case ack = <-w.flushes:
				case <-w.quit:
				}
				timer.Stop()
			}
		case ack = <-w.flushes:
		case <-w.quit:
		}
		spare = w.writeQueued(spare)
		if ack != nil {
			close(ack)
		}
		select {
		case <-w.quit:
			w.writeQueued(spare) // what came while the last batch was written
			return
		default:
		}
	}
}

// queued is how many entries wait.
func (w *writer) queued() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.queue)
}

// writeQueued takes the queue, leaving spare in its place, writes it and
// returns its buffer, emptied, to be the next spare.
func (w *writer) writeQueued(spare []entry) []entry {
	w.mu.Lock()
	batch := w.queue
	w.queue = spare[:0]
	w.room.Broadcast()
	w.mu.Unlock()
	w.writeLogged(batch)
	clear(batch) // the entries' strings may go
	return batch[:0]
}

func (w *writer) writeLogged(batch []entry) {
	if len(batch) == 0 {
		return
	}
	var err error
	write := func() { err = w.write(batch) }
	if w.idle.Do(write); err != nil { // one retry: a busy database is the likely cause
		time.Sleep(100 * time.Millisecond)
		w.idle.Do(write)
	}
	if err != nil {
		slog.Error("audit entries not written", "count", len(batch), "first_action", batch[0].action, "err", err)
	}
}

func (w *writer) write(batch []entry) error {
	ctx := context.Background() // the requests that made them may be gone
	values := make([]any, 0, len(batch)*len(entryInsert.Columns))
	for _, e := range batch {
		values = append(values, e.at, e.actorID, e.actorName, e.action, e.objectType, e.objectID, e.detail, e.ip)
	}
	return w.log.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		return tx.InsertRows(ctx, entryInsert, values)
	})
}

// flush waits until everything queued before the call is written.
func (w *writer) flush(ctx context.Context) error {
	ack := make(chan struct{})
	select {
	case w.flushes <- ack:
	case <-w.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case <-ack:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// close writes what is queued and stops the writer; later entries are
// written as they come.
func (w *writer) close() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	w.room.Broadcast() // entries waiting for room write themselves
	w.mu.Unlock()
	close(w.quit)
	<-w.done
}
