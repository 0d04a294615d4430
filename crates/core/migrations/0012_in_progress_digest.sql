-- Pulsemap schema v12 (append-only). In-progress responses keep a digest of their text, as
-- recorded ones do since v11, so a refresh that re-delivers one unchanged neither rewrites nor
-- recompresses it (the in-progress set is re-exported whole by every refresh).
-- Rows cached before have digest 0, which no text hashes to in practice: each is rewritten
-- once, by the next refresh that delivers it.
ALTER TABLE responses_in_progress ADD COLUMN digest INTEGER NOT NULL DEFAULT 0;
