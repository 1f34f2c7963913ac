package customer

import (
	"context"
	"testing"

	"github.com/vernost/vernost/internal/sqldb"
	"github.com/vernost/vernost/internal/sqldb/sqldbtest"
)

// The columns a load may leave out of its statements default to the empty
// string in the schema, so that leaving them out stores what binding ""
// would.
func TestBlankColumnsDefaultToEmpty(t *testing.T) {
	sqldbtest.Each(t, func(t *testing.T, db *sqldb.DB) {
		query := `SELECT dflt_value, "notnull" FROM pragma_table_info($1) WHERE name = $2`
		empty := "''"
		if db.Dialect == sqldb.Postgres {
			query = `SELECT column_default, is_nullable = 'NO' FROM information_schema.columns
				WHERE table_schema = current_schema() AND table_name = $1 AND column_name = $2`
			empty = "''::text"
		}
		for _, ins := range []*sqldb.Insert{customerInsert, managerInsert, identityInsert, eventInsert} {
			for _, col := range ins.Blank {
				var dflt *string
				var notNull bool
				if err := db.R.QueryRowContext(context.Background(), query, ins.Table, col).Scan(&dflt, &notNull); err != nil {
					t.Fatalf("%s.%s: %v", ins.Table, col, err)
				}
				if dflt == nil || *dflt != empty || !notNull {
					t.Errorf("%s.%s: default %v, not null %v; want NOT NULL DEFAULT ''", ins.Table, col, dflt, notNull)
				}
			}
		}
	})
}
