package customer

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/vernost/vernost"
	"github.com/vernost/vernost/internal/identity"
	"github.com/vernost/vernost/internal/sqldb"
)

// BatchResult is the outcome of one item of a batch.
type BatchResult struct {
	PublicID string
	Outcome  Outcome
	Err      error // the item's own error; the others are unaffected
}

// BatchOptions tune a bulk load.
type BatchOptions struct {
	Source string // the import's name on each new card's timeline
	// Overwrite lets a row replace fields a card already holds. Without it a
	// row only fills blanks, so operators' corrections survive a re-import
	// and rows disagreeing about one person cannot flip it back and forth.
	Overwrite bool
}

// UpsertBatch stores one batch in a transaction of its own; see Loader.
func (s *Service) UpsertBatch(ctx context.Context, items []*Valid, opt BatchOptions) ([]BatchResult, error) {
	l := s.NewLoader(opt)
	defer l.Rollback()
	out, err := l.Upsert(ctx, items)
	if err != nil {
		return nil, err
	}
	return out, l.Commit()
}

// A Loader stores batches of validated inputs for a bulk load such as an
// import, in order, so that items sharing an identity become one customer;
// a failing item leaves no trace while the rest are kept. Per-card audit
// rows are replaced by the one the caller writes for the whole load.
//
// Its transaction spans batches until Commit: every commit writes each
// index page its rows touched, and with a million cards nearly every row
// touches its own page of the identity index, so a large load commits
// every few tens of thousands of rows, not every batch.
// The transaction holds the database's one writer meanwhile.
type Loader struct {
	s    *Service
	mode writeMode
	tx   *sqldb.Tx
	rows int // written since the last commit

	ids      []int64               // allocated for new cards, not yet used
	managers map[string]managerRef // by user public id
	search   map[int64]indexRow    // by customer id, see writeSearch
	later    *deferred             // the batch's new cards, reused so that its slices keep their size

	// known filters the keys asked of the database; nil asks about every
	// key. It is exact for what this load wrote, not for what others
	// wrote between its transactions: PostgreSQL's unique index turns a
	// key taken meanwhile into a failed optimistic batch, redone
	// carefully; on SQLite, where nothing can be undone, the write mark
	// taken as each commit ends shows whether anyone wrote meanwhile, and
	// the filter is then dropped for the rest of the load.
	known    *knownKeys
	mark     sqldb.WriteMark
	marked   bool
	unknown  bool  // the filter was dropped
	existing int64 // identities about when the load began; -1 before it asked
	asked    int64 // keys the load looked up
}

type managerRef struct {
	id  sql.NullInt64
	err error
}

// NewLoader starts a bulk load; nothing is written before Upsert.
func (s *Service) NewLoader(opt BatchOptions) *Loader {
	mode := writeMode{event: EventImported, source: opt.Source, fillOnly: !opt.Overwrite,
		sourceJSON: mustJSON(EventData{Source: opt.Source})}
	return &Loader{s: s, mode: mode, managers: map[string]managerRef{}, search: map[int64]indexRow{},
		later: &deferred{search: map[int64]indexRow{}}, existing: -1}
}

// Pending is how many rows wait for Commit.
func (l *Loader) Pending() int { return l.rows }

// Commit makes everything upserted so far durable.
func (l *Loader) Commit() error {
	if l.tx == nil {
		return nil
	}
	if err := l.writeSearch(context.Background()); err != nil {
		l.Rollback()
		return sqldb.MapError(err)
	}
	tx := l.tx
	l.tx, l.rows, l.ids = nil, 0, nil
	mark, marked, err := tx.CommitMarked(context.Background())
	if err != nil {
		return sqldb.MapError(err)
	}
	l.mark, l.marked = mark, marked
	return nil
}

// Rollback forgets everything since the last Commit; after Commit it does
// nothing, so it can be deferred.
func (l *Loader) Rollback() {
	if l.tx != nil {
		_ = l.tx.Rollback()
		l.tx, l.rows, l.ids = nil, 0, nil
	}
	clear(l.search)
}

// writeSearch writes the name index rows of the cards the load created or
// renamed since the last commit, ascending by id, with two statements: the
// cards that may have a row replace it, the new cards' rows are inserted
// (a replace looks for the row first, which is most of its cost).
// SQLite's full-text index keeps new rows in memory and writes them out as
// a segment of its own whenever another statement follows, and whenever a
// row's id is lower than the one before; segments are then merged over and
// over. Written per batch of 2,000, a million cards made 500 segments and
// the index took 20 s of the load; written per commit, 12 s.
func (l *Loader) writeSearch(ctx context.Context) error {
	var replaced, created searchRows
	for _, id := range slices.Sorted(maps.Keys(l.search)) {
		r := l.search[id]
		if r.replace {
			replaced.add(id, r.words)
		} else {
			created.add(id, r.words)
		}
	}
	clear(l.search)
	for _, w := range []struct {
		query string
		rows  *searchRows
	}{{"replace-search-words-batch", &replaced}, {"insert-search-words-batch", &created}} {
		if w.rows.n == 0 {
			continue
		}
		if _, err := l.s.q.Exec(ctx, l.tx, w.query, w.rows.json()); err != nil {
			return err
		}
	}
	return nil
}

// searchRows is a JSON array of [id, words] pairs, written directly: a
// million cards' rows took a second through encoding/json.
type searchRows struct {
	b []byte
	n int
}

func (r *searchRows) add(id int64, words string) {
	if r.n == 0 {
		r.b = append(r.b, '[')
	} else {
		r.b = append(r.b, ',')
	}
	r.n++
	r.b = append(strconv.AppendInt(append(r.b, '['), id, 10), ',', '"')
	for i := 0; i < len(words); i++ {
		switch c := words[i]; {
		case c == '"' || c == '\\':
			r.b = append(r.b, '\\', c)
		case c < 0x20:
			r.b = append(r.b, `\u00`...)
			r.b = append(r.b, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&15])
		default:
			r.b = append(r.b, c) // UTF-8 passes through as it is
		}
	}
	r.b = append(r.b, '"', ']')
}

func (r *searchRows) json() string { return string(append(r.b, ']')) }

// Upsert stores items after those before them. Validation happened before,
// so items rarely fail here. The batch runs optimistically: new cards are
// written together, and a row for an existing card runs under a savepoint
// of its own, so that its failure is its alone. Should the batch's writes
// fail where a savepoint can undo them (PostgreSQL, where other writers
// may have taken an identity meanwhile), the batch is run again item by
// item under savepoints. Any other error is for the load as a whole: the
// caller rolls it back.
func (l *Loader) Upsert(ctx context.Context, items []*Valid) ([]BatchResult, error) {
	if l.tx == nil {
		tx, err := l.s.db.BeginBulk(ctx)
		if err != nil {
			return nil, err
		}
		l.tx = tx
		if err := l.checkMark(ctx); err != nil {
			return nil, err
		}
	}
	if err := l.filter(ctx); err != nil {
		return nil, err
	}
	// Statements run under a context that cannot be cancelled (a cancellable
	// one costs the SQLite driver a goroutine per statement); cancellation is
	// checked between items instead, and the caller rolls back.
	cancel := ctx
	ctx = withoutRowAudit(context.WithoutCancel(ctx))
	out := make([]BatchResult, len(items))
	undone, err := l.tx.Optimistic(ctx, func() error { return l.fast(ctx, cancel, items, out) })
	if undone && errors.Is(err, errItemFailed) {
		l.ids = nil // allocated in what was undone
		clear(out)
		err = l.careful(ctx, cancel, items, out)
	}
	if err != nil {
		return nil, sqldb.MapError(err)
	}
	l.rows += len(items)
	if l.known != nil {
		for i, v := range items {
			if out[i].Err == nil {
				for _, id := range v.n.identities {
					l.known.add(string(id.Kind), id.Value)
				}
			}
		}
	}
	return out, nil
}

// checkMark drops the filter if another writer committed since this
// load's last commit.
func (l *Loader) checkMark(ctx context.Context) error {
	if l.known == nil || !l.marked {
		return nil
	}
	m, ok, err := l.tx.WriteMark(ctx)
	if err != nil {
		return err
	}
	if ok && m != l.mark {
		l.forget()
	}
	return nil
}

// forget drops the filter for the rest of the load.
func (l *Loader) forget() { l.known, l.unknown, l.marked = nil, true, false }

// filter builds the filter once the load has asked about an eighth as many
// keys as the database holds: reading every key costs about what looking
// an eighth of them up does, so a small load into a large database never
// reads them, and a load into an empty one builds it after its first batch
// (a load of one batch never does).
func (l *Loader) filter(ctx context.Context) error {
	if l.known != nil || l.unknown {
		return nil
	}
	if l.existing < 0 {
		if err := l.s.q.QueryRow(ctx, l.tx, "identity-count-estimate").Scan(&l.existing); err != nil {
			return err
		}
	}
	if l.asked == 0 || 8*l.asked < l.existing {
		return nil
	}
	k, err := l.s.loadKnownKeys(ctx, l.tx, l.existing)
	if err != nil {
		return err
	}
	l.known = k
	return nil
}

// errItemFailed aborts an optimistic batch so that it is redone carefully.
var errItemFailed = errors.New("an item of the batch failed")

func (l *Loader) careful(ctx, cancel context.Context, items []*Valid, out []BatchResult) error {
	// Items written now index their names at once, which must come after
	// what earlier batches left for the commit.
	if err := l.writeSearch(ctx); err != nil {
		return err
	}
	mode := l.mode
	for i, v := range items {
		if err := cancel.Err(); err != nil {
			return err
		}
		write := func() error {
			var err error
			out[i].PublicID, out[i].Outcome, err = l.s.upsert(ctx, l.tx, v.n, mode)
			return err
		}
		if err := l.tx.Savepoint(ctx, write); err != nil {
			out[i] = BatchResult{Err: sqldb.MapError(err)}
		}
	}
	return nil
}

// fast is the optimistic path. The owners of every identity in the batch
// are read with one query and kept in a map as new cards claim their
// identities. New cards get ids allocated in advance and wait, with their
// identities, search rows and events, for multi-row statements at the
// batch's end. A row for a card that already exists takes the ordinary
// path after the pending writes are flushed, so that it sees them. Failing
// pending writes abort the batch with errItemFailed.
func (l *Loader) fast(ctx, cancel context.Context, items []*Valid, out []BatchResult) error {
	s, tx := l.s, l.tx
	mode := l.mode
	mode.later = l.later.reset(s.db.TimeArg(s.clock.Now()))
	owner, err := l.owners(ctx, items)
	if err != nil {
		return err
	}
	ordinary := func() error {
		if err := mode.later.flush(ctx, s, tx); err != nil {
			return failed(err)
		}
		l.ids = nil // an ordinary insert may take the next id itself
		return nil
	}
	for i, v := range items {
		if err := cancel.Err(); err != nil {
			return err
		}
		var ids []int64
		for _, id := range v.n.identities {
			if o, ok := owner[identityKey{id.Kind, id.Value}]; ok && !slices.Contains(ids, o) {
				ids = append(ids, o)
			}
		}
		var cid int64
		switch len(ids) {
		case 0:
			manager := l.manager(ctx, v.n.Manager)
			if manager.err != nil {
				out[i].Err = manager.err // nothing written yet: the rest go on
				continue
			}
			if cid, err = l.newID(ctx, mode.later, len(items)-i); err != nil {
				return err
			}
			out[i].PublicID = s.insertLater(ctx, cid, v, manager.id, mode)
			out[i].Outcome = Created
		case 1:
			if err := ordinary(); err != nil {
				return err
			}
			cid = ids[0]
			write := func() error {
				var err error
				out[i].PublicID, out[i].Outcome, err = s.upsert(ctx, tx, v.n, mode)
				return err
			}
			if err := tx.Savepoint(ctx, write); err != nil {
				out[i] = BatchResult{Err: sqldb.MapError(err)}
				continue
			}
		default:
			// Reading owners writes nothing, so the conflict is this
			// row's alone; the pending cards are written first, since
			// one of the owners may be among them.
			if err := ordinary(); err != nil {
				return err
			}
			owners, err := s.owners(ctx, tx, v.n.identities)
			if err != nil {
				return err
			}
			out[i].Err = differentOwners(owners)
			continue
		}
		for _, id := range v.n.identities {
			owner[identityKey{id.Kind, id.Value}] = cid
		}
	}
	if err := mode.later.flush(ctx, s, tx); err != nil {
		return failed(err)
	}
	maps.Copy(l.search, mode.later.search)
	return nil
}

// failed marks err, from writes the batch had put off, as errItemFailed.
func failed(err error) error { return fmt.Errorf("%w: %w", errItemFailed, err) }

// newID returns an id for a new card, allocating ids for up to want cards
// when none is left. Allocation reads the table's highest id on SQLite, so
// pending cards are written first.
func (l *Loader) newID(ctx context.Context, later *deferred, want int) (int64, error) {
	if len(l.ids) == 0 {
		if err := later.flush(ctx, l.s, l.tx); err != nil {
			return 0, failed(err)
		}
		rows, err := l.s.q.Query(ctx, l.tx, "allocate-customer-ids", want)
		if err != nil {
			return 0, err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				return 0, err
			}
			l.ids = append(l.ids, id)
		}
		if err := rows.Err(); err != nil {
			return 0, err
		}
		if len(l.ids) == 0 {
			return 0, errors.New("allocate-customer-ids returned no ids")
		}
	}
	id := l.ids[0]
	l.ids = l.ids[1:]
	return id, nil
}

// manager resolves a manager's public id once per load.
func (l *Loader) manager(ctx context.Context, pid *string) managerRef {
	if pid == nil || *pid == "" {
		return managerRef{}
	}
	ref, ok := l.managers[*pid]
	if !ok {
		ref.id, _, ref.err = l.s.managerID(ctx, l.tx, pid)
		if ref.err != nil && vernost.ErrorCode(ref.err) != vernost.EInvalid {
			return ref // a database failure is not remembered
		}
		l.managers[*pid] = ref
	}
	return ref
}

type identityKey struct {
	kind  identity.Kind
	value string
}

// owners reads, with one query, which customers own the identities of the
// batch that the filter does not rule out.
func (l *Loader) owners(ctx context.Context, items []*Valid) (map[identityKey]int64, error) {
	var pairs [][2]string
	for _, v := range items {
		for _, id := range v.n.identities {
			if l.known == nil || l.known.mayHold(string(id.Kind), id.Value) {
				pairs = append(pairs, [2]string{string(id.Kind), id.Value})
			}
		}
	}
	l.asked += int64(len(pairs))
	owner := make(map[identityKey]int64, len(pairs))
	if len(pairs) == 0 {
		return owner, nil
	}
	b, err := json.Marshal(pairs)
	if err != nil {
		return nil, err
	}
	rows, err := l.s.q.Query(ctx, l.tx, "identity-owners-batch", string(b))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var kind, value string
		var id int64
		if err := rows.Scan(&kind, &value, &id); err != nil {
			return nil, err
		}
		owner[identityKey{identity.Kind(kind), value}] = id
	}
	return owner, rows.Err()
}

type noRowAuditKey struct{}

// withoutRowAudit marks ctx so that upserts skip their per-card audit row.
func withoutRowAudit(ctx context.Context) context.Context {
	return context.WithValue(ctx, noRowAuditKey{}, true)
}

// record writes an audit row unless ctx is a batch that audits as a whole.
func (s *Service) record(ctx context.Context, tx *sqldb.Tx, action, publicID, detail string) error {
	if ctx.Value(noRowAuditKey{}) != nil {
		return nil
	}
	return s.audit.Record(ctx, tx, action, "customer", publicID, detail)
}

// RefreshStatistics tidies up after a bulk load: it compacts the name
// search index and lets the database re-plan, since a query planned while
// the tables were small would otherwise stay slow. It takes seconds at a
// million cards.
func (s *Service) RefreshStatistics(ctx context.Context) error {
	// A bulk transaction: merging the index rewrites most of it, and it
	// does so in the bulk load's large page cache.
	tx, err := s.db.BeginBulk(ctx)
	if err != nil {
		return err
	}
	rows, err := s.q.Query(ctx, tx, "compact-search-index")
	if err == nil {
		err = rows.Close()
	}
	if err != nil {
		_ = tx.Rollback()
		return sqldb.MapError(err)
	}
	if err := tx.Commit(); err != nil {
		return sqldb.MapError(err)
	}
	return s.db.Analyze(ctx)
}
