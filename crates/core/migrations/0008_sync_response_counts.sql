-- Pulsemap schema v8 (append-only; see 0001_init.sql).
-- The survey's `responseCounts` (recorded, deleted) seen by the last successful import, which
-- the next incremental refresh compares with: columns of `sync_state`, written by the import's
-- own commit together with the responses and the continuation token. Before v8 they were a
-- text setting `sync.<survey id>.response_counts` ("<recorded>:<deleted>") written after the
-- commit; existing values move here and the settings go.
ALTER TABLE sync_state ADD COLUMN counted_recorded INTEGER;
ALTER TABLE sync_state ADD COLUMN counted_deleted INTEGER;

UPDATE sync_state
   SET counted_recorded = (
           SELECT CAST(substr(s.value, 1, instr(s.value, ':') - 1) AS INTEGER)
             FROM settings s
            WHERE s.key = 'sync.' || sync_state.survey_id || '.response_counts'
              AND s.value GLOB '[0-9]*:[0-9]*' AND s.value NOT GLOB '*[^0-9:]*'),
       counted_deleted = (
           SELECT CAST(substr(s.value, instr(s.value, ':') + 1) AS INTEGER)
             FROM settings s
            WHERE s.key = 'sync.' || sync_state.survey_id || '.response_counts'
              AND s.value GLOB '[0-9]*:[0-9]*' AND s.value NOT GLOB '*[^0-9:]*');

DELETE FROM settings WHERE key LIKE 'sync.%.response_counts';
