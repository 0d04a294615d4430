-- Pulsemap schema v13 (append-only). Recorded responses are found by a 64-bit hash of their
-- id (store::responses::ids) instead of a unique index on the id's text. The importer enters
-- a refresh's new responses at commit, in the index's key order; the unique index took one
-- insert at a random key per response, a fifth of a large refresh. A hash names candidates:
-- every lookup compares the id text of the rows it finds.
--   recent  0: entered by a survey's first import or merged; 1: entered by later imports,
--           kept apart (a small range) until they pass an eighth of the survey's entries
-- The migration's hook enters every cached response (the hash is computed in Rust).
CREATE TABLE response_ids (
    survey_key INTEGER NOT NULL,
    recent     INTEGER NOT NULL,
    id_hash    INTEGER NOT NULL,
    pos        INTEGER NOT NULL,
    PRIMARY KEY (survey_key, recent, id_hash, pos)
) WITHOUT ROWID;
DROP INDEX responses_by_id;
