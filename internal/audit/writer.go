package audit

import (
	"context"
	"log/slog"
	"sync"
	"time"

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
type writer struct {
	log     *Log
	pending chan entry
	flushes chan chan struct{}
	done    chan struct{}

	mu     sync.RWMutex // guards closed against sends on a closed channel
	closed bool
}

// entry is one row, with everything taken from the request already.
type entry struct {
	at                                                  time.Time
	actorID                                             any
	actorName, action, objectType, objectID, detail, ip string
}

const (
	queueSize = 8192
	batchSize = 1000
	// linger is how long the writer waits for more entries after the first:
	// every commit invalidates the page caches of all readers, so under a
	// stream of lookups fewer, larger commits keep the readers fast.
	linger = 20 * time.Millisecond
)

func newWriter(l *Log) *writer {
	w := &writer{log: l, pending: make(chan entry, queueSize), flushes: make(chan chan struct{}), done: make(chan struct{})}
	go w.run()
	return w
}

// add queues e; after close it is written at once instead.
func (w *writer) add(e entry) error {
	w.mu.RLock()
	if !w.closed {
		w.pending <- e // blocks only when the queue is full: back-pressure, not loss
		w.mu.RUnlock()
		return nil
	}
	w.mu.RUnlock()
	return w.write([]entry{e})
}

func (w *writer) run() {
	defer close(w.done)
	batch := make([]entry, 0, batchSize)
	for {
		select {
		case e, ok := <-w.pending:
			if !ok {
				return
			}
			batch = w.gather(append(batch[:0], e))
			w.writeLogged(batch)
		case ack := <-w.flushes:
			w.writeLogged(w.drain(batch[:0], queueSize))
			close(ack)
		}
	}
}

// gather adds entries arriving within linger, up to batchSize. A flush
// request or the queue closing ends the wait early: the batch is written
// and the flush is answered by run on its next turn.
func (w *writer) gather(batch []entry) []entry {
	timer := time.NewTimer(linger)
	defer timer.Stop()
	for len(batch) < batchSize {
		select {
		case e, ok := <-w.pending:
			if !ok {
				return batch
			}
			batch = append(batch, e)
		case ack := <-w.flushes:
			batch = w.drain(batch, queueSize)
			w.writeLogged(batch)
			close(ack)
			return batch[:0]
		case <-timer.C:
			return batch
		}
	}
	return batch
}

// drain takes what is queued, up to limit entries, without waiting.
func (w *writer) drain(batch []entry, limit int) []entry {
	for len(batch) < limit {
		select {
		case e, ok := <-w.pending:
			if !ok {
				return batch
			}
			batch = append(batch, e)
		default:
			return batch
		}
	}
	return batch
}

func (w *writer) writeLogged(batch []entry) {
	if len(batch) == 0 {
		return
	}
	err := w.write(batch)
	if err != nil { // one retry: a busy database is the likely cause
		time.Sleep(100 * time.Millisecond)
		err = w.write(batch)
	}
	if err != nil {
		slog.Error("audit entries not written", "count", len(batch), "first_action", batch[0].action, "err", err)
	}
}

func (w *writer) write(batch []entry) error {
	ctx := context.Background() // the requests that made them may be gone
	return w.log.db.WithTx(ctx, func(tx *sqldb.Tx) error {
		for _, e := range batch {
			if err := w.log.insertEntry(ctx, tx, e); err != nil {
				return err
			}
		}
		return nil
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

// close drains the queue and stops the writer.
func (w *writer) close() {
	w.mu.Lock()
	if w.closed {
		w.mu.Unlock()
		return
	}
	w.closed = true
	close(w.pending)
	w.mu.Unlock()
	<-w.done
}
