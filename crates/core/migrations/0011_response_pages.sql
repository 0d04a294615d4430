-- Pulsemap schema v11 (append-only). Responses are kept compressed, a page of up to 1024 at a
-- time (see store::pages): the raw export text of each response (values and labels) in one
-- zstd frame per page, and per response a narrow row saying where it is. About 1,270 bytes a
-- response before, ~250 now. Dates are read from the raw values when a metric needs them.
--   response_surveys  a small integer per survey, so the rows do not repeat the survey id
--   response_pages    the compressed pages
--   responses         pos = survey_key << 40 | page << 16 | slot (the rowid: a survey's rows
--                     are one rowid range, in import order); digest = hash of the response's
--                     text, so a re-delivered identical response is recognised unread
-- The cache of the old layout is not converted: it is dropped with the sync state's
-- continuation tokens and counts, so the next refresh of each survey is a full one. Cached
-- card values (metric_values) are kept and still painted meanwhile.
CREATE TABLE response_surveys (
    key       INTEGER PRIMARY KEY,
    survey_id TEXT NOT NULL UNIQUE
);
CREATE TABLE response_pages (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    survey_key  INTEGER NOT NULL,
    in_progress INTEGER NOT NULL,
    imported_at TEXT NOT NULL,
    data        BLOB NOT NULL
);
CREATE INDEX response_pages_by_survey ON response_pages (survey_key, in_progress);
DROP TABLE responses;
CREATE TABLE responses (
    pos         INTEGER PRIMARY KEY,
    survey_key  INTEGER NOT NULL,
    response_id TEXT NOT NULL,
    finished    INTEGER NOT NULL,
    digest      INTEGER NOT NULL
);
CREATE UNIQUE INDEX responses_by_id ON responses (survey_key, response_id);
DROP TABLE responses_in_progress;
CREATE TABLE responses_in_progress (
    survey_key  INTEGER NOT NULL,
    response_id TEXT NOT NULL,
    pos         INTEGER NOT NULL,
    PRIMARY KEY (survey_key, response_id)
) WITHOUT ROWID;
DELETE FROM metric_columns;
DELETE FROM response_generations;
UPDATE sync_state SET continuation_token = NULL, response_count = 0,
    generation = generation + 1;
