-- Pulsemap schema v3 (append-only). Responses move to a rowid table: their ~1-2 KB rows made
-- the WITHOUT ROWID B-tree slow to fill in response-id order (random inserts into fat leaf
-- pages) and slow to scan. Inserts now append to the table and only the narrow unique index
-- takes random inserts; metric columns are read in rowid order through responses_by_survey.
CREATE TABLE responses_v3 (
    survey_id     TEXT NOT NULL,
    response_id   TEXT NOT NULL,
    finished      INTEGER NOT NULL,
    start_date    TEXT,
    end_date      TEXT,
    recorded_date TEXT,
    values_json   TEXT NOT NULL,
    labels_json   TEXT,
    imported_at   TEXT NOT NULL,
    UNIQUE (survey_id, response_id)
);
INSERT INTO responses_v3 (survey_id, response_id, finished, start_date, end_date, recorded_date,
                          values_json, labels_json, imported_at)
    SELECT survey_id, response_id, finished, start_date, end_date, recorded_date, values_json,
           labels_json, imported_at
    FROM responses;
DROP TABLE responses;
ALTER TABLE responses_v3 RENAME TO responses;
CREATE INDEX responses_by_survey ON responses (survey_id, finished);
