-- The shared customer record.
CREATE TABLE personas (
    key           TEXT PRIMARY KEY,
    name_ru       TEXT NOT NULL,
    name_en       TEXT NOT NULL,
    guidance_do   TEXT NOT NULL DEFAULT '',
    guidance_dont TEXT NOT NULL DEFAULT '',
    position      INTEGER NOT NULL DEFAULT 0
);
INSERT INTO personas (key, name_ru, name_en, guidance_do, guidance_dont, position) VALUES
('status', 'Ценит уважение и статус', 'Values respect and status',
 'Обращайтесь по имени и отчеству, на «вы». Подчеркните особый статус клиента, предложите решение от старшего специалиста. / Use name and patronymic, formal address. Acknowledge their status; offer a senior specialist.',
 'Не фамильярничайте, не торопите, не отвечайте шаблонами. / No familiarity, no rushing, no canned answers.', 1),
('friendly', 'Дружелюбный, неформальный', 'Friendly and informal',
 'Можно по имени, тёплый живой тон, вспомните прошлый разговор и личные факты. / First name is fine; warm, lively tone; recall the last conversation and personal facts.',
 'Не будьте сухим и официальным. / Do not be dry or bureaucratic.', 2),
('digital', 'Молодой и цифровой: хочет быстро и онлайн', 'Young and digital: wants fast electronic service',
 'Коротко и по делу, ссылки и онлайн-решения, мессенджер вместо звонка. / Short and to the point; links and self-service; messenger rather than a call.',
 'Не звоните без нужды, не присылайте бумажных писем и длинных текстов. / Do not call without need; no paper mail or long texts.', 3),
('standard', 'Стандартный', 'Standard',
 'Вежливо, на «вы», по стандарту обслуживания. / Polite, formal, per the service standard.',
 '', 4);

CREATE TABLE customers (
    id                INTEGER PRIMARY KEY,
    public_id         TEXT NOT NULL UNIQUE,
    family_name       TEXT NOT NULL DEFAULT '',
    given_name        TEXT NOT NULL DEFAULT '',
    patronymic        TEXT NOT NULL DEFAULT '',
    preferred_name    TEXT NOT NULL DEFAULT '',
    address_form      TEXT NOT NULL DEFAULT 'formal' CHECK (address_form IN ('formal', 'informal')),
    pronunciation     TEXT NOT NULL DEFAULT '',
    birth_date        DATE,
    persona           TEXT NOT NULL DEFAULT 'standard',
    preferred_channel TEXT NOT NULL DEFAULT '',
    language          TEXT NOT NULL DEFAULT 'ru',
    time_zone         TEXT NOT NULL DEFAULT '',
    quiet_from        TEXT NOT NULL DEFAULT '',
    quiet_to          TEXT NOT NULL DEFAULT '',
    wish              TEXT NOT NULL DEFAULT '',
    manager_id        INTEGER REFERENCES users(id),
    name_key          TEXT NOT NULL DEFAULT '',
    merged_into       INTEGER REFERENCES customers(id),
    erased_at         DATETIME,
    version           INTEGER NOT NULL DEFAULT 1,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX customers_name_key ON customers (name_key, birth_date);
CREATE INDEX customers_manager ON customers (manager_id) WHERE manager_id IS NOT NULL;
CREATE INDEX customers_merged_into ON customers (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE customer_identities (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind        TEXT NOT NULL,
    value       TEXT NOT NULL,
    raw         TEXT NOT NULL DEFAULT '',
    fragment    TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    UNIQUE (kind, value)
);
CREATE INDEX customer_identities_customer ON customer_identities (customer_id);
CREATE INDEX customer_identities_fragment ON customer_identities (fragment) WHERE fragment <> '';

CREATE TABLE customer_facts (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    pinned      BOOLEAN NOT NULL DEFAULT FALSE,
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX customer_facts_customer ON customer_facts (customer_id);

CREATE TABLE customer_tags (
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    tag         TEXT NOT NULL,
    PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tag ON customer_tags (tag);

CREATE TABLE attribute_defs (
    key        TEXT PRIMARY KEY,
    label_ru   TEXT NOT NULL,
    label_en   TEXT NOT NULL,
    type       TEXT NOT NULL CHECK (type IN ('text', 'number', 'date', 'bool', 'choice')),
    choices    TEXT NOT NULL DEFAULT '',
    position   INTEGER NOT NULL DEFAULT 0,
    created_at DATETIME NOT NULL
);

CREATE TABLE customer_attributes (
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    key         TEXT NOT NULL REFERENCES attribute_defs(key),
    value       TEXT NOT NULL,
    PRIMARY KEY (customer_id, key)
);

CREATE TABLE customer_consents (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    channel     TEXT NOT NULL,
    purpose     TEXT NOT NULL CHECK (purpose IN ('service', 'marketing')),
    granted     BOOLEAN NOT NULL,
    source      TEXT NOT NULL,
    actor_name  TEXT NOT NULL DEFAULT '',
    at          DATETIME NOT NULL
);
CREATE INDEX customer_consents_customer ON customer_consents (customer_id, channel, purpose, at);

CREATE TABLE customer_managers (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    user_id     INTEGER REFERENCES users(id),
    from_at     DATETIME NOT NULL,
    to_at       DATETIME
);
CREATE INDEX customer_managers_customer ON customer_managers (customer_id, from_at);

CREATE TABLE customer_events (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers(id),
    at          DATETIME NOT NULL,
    actor_name  TEXT NOT NULL DEFAULT '',
    kind        TEXT NOT NULL,
    data        TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX customer_events_customer ON customer_events (customer_id, id);

CREATE TABLE customer_merges (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    survivor_id INTEGER NOT NULL REFERENCES customers(id),
    absorbed_id INTEGER NOT NULL REFERENCES customers(id),
    actor_name  TEXT NOT NULL,
    at          DATETIME NOT NULL,
    snapshot    TEXT NOT NULL,
    undone_at   DATETIME,
    undone_by   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX customer_merges_survivor ON customer_merges (survivor_id);

CREATE TABLE duplicate_dismissals (
    a_id INTEGER NOT NULL REFERENCES customers(id),
    b_id INTEGER NOT NULL REFERENCES customers(id),
    actor_name TEXT NOT NULL,
    at   DATETIME NOT NULL,
    PRIMARY KEY (a_id, b_id)
);

CREATE TABLE import_jobs (
    id          INTEGER PRIMARY KEY,
    public_id   TEXT NOT NULL UNIQUE,
    file_name   TEXT NOT NULL,
    status      TEXT NOT NULL,
    total_rows  INTEGER NOT NULL DEFAULT 0,
    created     INTEGER NOT NULL DEFAULT 0,
    updated     INTEGER NOT NULL DEFAULT 0,
    unchanged   INTEGER NOT NULL DEFAULT 0,
    rejected    INTEGER NOT NULL DEFAULT 0,
    rejects     TEXT NOT NULL DEFAULT '',
    error       TEXT NOT NULL DEFAULT '',
    actor_name  TEXT NOT NULL,
    created_at  DATETIME NOT NULL,
    finished_at DATETIME
);

-- Name search: Go folds and transliterates the name words (SQLite's lower()
-- knows only ASCII); FTS5 matches their prefixes.
CREATE VIRTUAL TABLE customer_search USING fts5 (
    words,
    tokenize = 'unicode61 remove_diacritics 0',
    prefix = '1 2 3',
    content = '',
    contentless_delete = 1
);
