-- The status a lease was in when it was released: its log line and whether its holder may still be
-- waiting (released before ACTIVE) come from it. Kept on the row so that the release is a single
-- UPDATE, which reads the old status while it writes the new one, instead of locking the row first.
ALTER TABLE dd_lease ADD COLUMN released_from text;
