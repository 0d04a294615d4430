-- Pulsemap schema v5 (append-only). The lineage of each survey's sync generations, so metric
-- columns extracted at an older generation can be extended with only the rows appended since
-- instead of being re-extracted from every cached response (see metrics::cache).
-- One row per generation an import produced (the importer also records the generation an
-- append-only import extends, when it predates this table):
--   max_finished_rowid  largest responses.rowid of the survey's finished responses (0: none)
--   finished_count      finished recorded responses of the survey at that generation
--   appended            1 when the import that produced it only inserted new responses (no
--                       update of a cached response, no delete, no full resync), so the
--                       generation is the one before it plus rows of larger rowids
-- A non-append import deletes the survey's older rows: no column can be extended across it.
CREATE TABLE response_generations (
    survey_id          TEXT NOT NULL,
    generation         INTEGER NOT NULL,
    max_finished_rowid INTEGER NOT NULL,
    finished_count     INTEGER NOT NULL,
    appended           INTEGER NOT NULL,
    PRIMARY KEY (survey_id, generation)
) WITHOUT ROWID;
