-- Numeric text entry (issue 10): a TE question whose definition says
-- `Validation.Settings.ContentType` = `ValidNumber` gets numeric calculations. Definitions
-- stored before this migration are re-parsed on the next refresh, which sets the flag.
ALTER TABLE questions ADD COLUMN numeric_entry INTEGER NOT NULL DEFAULT 0;
