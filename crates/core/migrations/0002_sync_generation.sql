-- Pulsemap schema v2 (append-only; see 0001_init.sql).
-- `generation` grows by one every time an import changes the cached responses of a survey, so
-- in-memory metric columns can be reused until the data actually changes (an incremental
-- refresh that finds nothing new keeps the generation, and the cached columns).
ALTER TABLE sync_state ADD COLUMN generation INTEGER NOT NULL DEFAULT 0;
