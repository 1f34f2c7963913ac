-- Likely duplicates are found by a matching pass over all cards
-- (customer.MatchDuplicates) instead of by indexes every write maintains:
-- with a random key per row they took a third of a large import, and the
-- self-joins over them took seconds per look at a million cards.
DROP INDEX customers_name_key;
DROP INDEX customer_identities_fragment;

CREATE TABLE duplicate_candidates (
    a_id   INTEGER NOT NULL REFERENCES customers(id),
    b_id   INTEGER NOT NULL REFERENCES customers(id),
    reason TEXT NOT NULL,
    PRIMARY KEY (a_id, b_id)
);

-- The last pass: when it ran and the newest timeline event it saw.
CREATE TABLE duplicate_matching (
    id              INTEGER PRIMARY KEY CHECK (id = 1),
    event_watermark BIGINT NOT NULL,
    matched_at      DATETIME NOT NULL,
    pairs           INTEGER NOT NULL
);
