-- Workshop packs (issue 14): a map imported from a pack is read-only and shows the moment its
-- snapshot of values was taken. NULL = an ordinary, editable map.
ALTER TABLE maps ADD COLUMN data_as_of TEXT;
