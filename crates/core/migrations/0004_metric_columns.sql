-- Pulsemap schema v4 (append-only). Metric columns extracted from the cached responses, stored
-- per survey, field and sync generation (binary, see metrics::persist) so a new process can
-- compute cards without re-reading every response. Rows of an older generation are ignored
-- and overwritten; the importer deletes them when it changes the survey's responses.
CREATE TABLE metric_columns (
    survey_id  TEXT NOT NULL,
    field      TEXT NOT NULL,
    generation INTEGER NOT NULL,
    data       BLOB NOT NULL,
    PRIMARY KEY (survey_id, field)
);
