-- Pulsemap schema v10 (append-only). Cards get their survey as an indexed column, so a refresh
-- finds the cards of the survey it refreshed through the index instead of parsing every
-- card's configuration. A generated column of the configuration itself: it cannot disagree
-- with the JSON, whichever code path writes the card.
ALTER TABLE cards ADD COLUMN survey_id TEXT
    GENERATED ALWAYS AS (json_extract(config_json, '$.surveyId')) VIRTUAL;
CREATE INDEX cards_by_survey ON cards (survey_id) WHERE kind = 'metric';
