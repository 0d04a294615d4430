-- Pulsemap schema v1. Migrations are append-only: never edit a file once it has shipped;
-- add 0002_*.sql etc. instead. No secret (token, client secret) is ever stored here.

-- Non-secret settings: base URL, auth method, OAuth client id, masked secret hint,
-- whoami facts (user name, brand, datacenter), validated_at. Key/value.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- Connection events (validate, whoami, list surveys, refresh errors) for support exports.
CREATE TABLE connection_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    event      TEXT NOT NULL,
    outcome    TEXT NOT NULL CHECK (outcome IN ('ok', 'failed')),
    error_kind TEXT,
    message    TEXT
);

CREATE TABLE surveys (
    id              TEXT PRIMARY KEY,
    name            TEXT NOT NULL,
    owner_id        TEXT,
    is_active       INTEGER NOT NULL DEFAULT 1,
    last_modified   TEXT,
    creation_date   TEXT,
    definition_json TEXT,            -- raw survey-definitions result, for debug export
    listed_at       TEXT NOT NULL,   -- last time the survey was seen in GET /surveys
    deleted         INTEGER NOT NULL DEFAULT 0  -- no longer visible to the token
);

CREATE TABLE questions (
    survey_id          TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    qid                TEXT NOT NULL,
    export_tag         TEXT,
    text               TEXT NOT NULL,
    question_type      TEXT NOT NULL,  -- MC, Matrix, TE, Slider, ...
    selector           TEXT,
    sub_selector       TEXT,
    -- [{"id":"1","label":"Very satisfied","recode":"5","analyze":true}, ...]
    choices_json       TEXT NOT NULL DEFAULT '[]',
    -- matrix rows: [{"id":"1","label":"Speed"}, ...]
    sub_questions_json TEXT NOT NULL DEFAULT '[]',
    position           INTEGER NOT NULL,
    deleted            INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (survey_id, qid)
);

-- Embedded data fields and contact attributes declared by a survey.
CREATE TABLE embedded_fields (
    survey_id TEXT NOT NULL REFERENCES surveys(id) ON DELETE CASCADE,
    name      TEXT NOT NULL,
    PRIMARY KEY (survey_id, name)
);

-- Completed (recorded) responses, deduplicated by responseId.
CREATE TABLE responses (
    survey_id     TEXT NOT NULL,
    response_id   TEXT NOT NULL,
    finished      INTEGER NOT NULL,
    start_date    TEXT,
    end_date      TEXT,
    recorded_date TEXT,
    values_json   TEXT NOT NULL,
    labels_json   TEXT,
    imported_at   TEXT NOT NULL,
    PRIMARY KEY (survey_id, response_id)
) WITHOUT ROWID;

-- In-progress (unfinished) responses are kept apart and never mixed into metrics.
CREATE TABLE responses_in_progress (
    survey_id     TEXT NOT NULL,
    response_id   TEXT NOT NULL,
    start_date    TEXT,
    values_json   TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    PRIMARY KEY (survey_id, response_id)
) WITHOUT ROWID;

-- Incremental sync state per survey.
CREATE TABLE sync_state (
    survey_id          TEXT PRIMARY KEY,
    continuation_token TEXT,
    last_attempt_at    TEXT,
    last_success_at    TEXT,
    response_count     INTEGER NOT NULL DEFAULT 0
);

-- Every refresh attempt, successful or not (the refresh policy counts failed attempts too).
CREATE TABLE refresh_attempts (
    id            INTEGER PRIMARY KEY,
    survey_id     TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    mode          TEXT NOT NULL CHECK (mode IN ('full', 'incremental')),
    outcome       TEXT NOT NULL CHECK (outcome IN ('running', 'ok', 'failed')),
    error_kind    TEXT,
    error_message TEXT,
    new_responses INTEGER NOT NULL DEFAULT 0,
    http_requests INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX refresh_attempts_by_survey ON refresh_attempts (survey_id, started_at);

CREATE TABLE maps (
    id         TEXT PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE stages (
    id       TEXT PRIMARY KEY,
    map_id   TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL
);

CREATE TABLE lanes (
    id       TEXT PRIMARY KEY,
    map_id   TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    name     TEXT NOT NULL,
    position INTEGER NOT NULL
);

-- A card sits in one cell (stage x lane). kind = 'text' uses `text`; kind = 'metric' uses
-- `config_json` (a serialized MetricCardConfig).
CREATE TABLE cards (
    id          TEXT PRIMARY KEY,
    map_id      TEXT NOT NULL REFERENCES maps(id) ON DELETE CASCADE,
    stage_id    TEXT NOT NULL REFERENCES stages(id) ON DELETE CASCADE,
    lane_id     TEXT NOT NULL REFERENCES lanes(id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('text', 'metric')),
    text        TEXT,
    config_json TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- Last computed value of each metric card (painted at once on open, offline).
CREATE TABLE metric_values (
    card_id     TEXT PRIMARY KEY REFERENCES cards(id) ON DELETE CASCADE,
    config_hash TEXT NOT NULL,
    value_json  TEXT NOT NULL,
    computed_at TEXT NOT NULL
);
