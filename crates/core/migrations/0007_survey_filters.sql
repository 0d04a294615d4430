-- Saved Qualtrics response filters of each survey (GET /surveys/{id}/filters) and their
-- membership: the response ids of the last full export with that filterId. Qualtrics refuses
-- filterId together with continuation, so membership is re-read by a full filtered export on
-- each refresh of the survey (for the filters cards use) and dated by members_read_at.
CREATE TABLE survey_filters (
    survey_id       TEXT NOT NULL,
    filter_id       TEXT NOT NULL,
    name            TEXT NOT NULL,
    creation_date   TEXT,
    listed_at       TEXT,
    members_read_at TEXT,
    PRIMARY KEY (survey_id, filter_id)
);

CREATE TABLE filter_members (
    survey_id   TEXT NOT NULL,
    filter_id   TEXT NOT NULL,
    response_id TEXT NOT NULL,
    PRIMARY KEY (survey_id, filter_id, response_id)
) WITHOUT ROWID;
