-- ANALYZE gathers planner statistics only on the columns that statements filter, join or sort on.
-- The others are read back by id and never estimated; sorting their sampled values (distinct JSON
-- documents, random tokens, free text) made autovacuum's ANALYZE of dd_lease cost 630 ms of CPU at
-- 50,000 rows (140 ms without them) and dd_log's 165 ms, once a minute for as long as leases are
-- being made: a spike on the same cores that serve the leases. A column added later gets the
-- default target; give it 0 here too if no statement filters on it.
ALTER TABLE dd_lease
    ALTER COLUMN owner_token SET STATISTICS 0,
    ALTER COLUMN attributes SET STATISTICS 0,
    ALTER COLUMN allowed_blueprints SET STATISTICS 0,
    ALTER COLUMN status_reason SET STATISTICS 0,
    ALTER COLUMN lease_attributes SET STATISTICS 0,
    ALTER COLUMN ttl_ms SET STATISTICS 0,
    ALTER COLUMN created_at SET STATISTICS 0,
    ALTER COLUMN activated_at SET STATISTICS 0,
    ALTER COLUMN released_at SET STATISTICS 0,
    ALTER COLUMN updated_at SET STATISTICS 0,
    ALTER COLUMN version SET STATISTICS 0,
    ALTER COLUMN released_from SET STATISTICS 0;

ALTER TABLE dd_log
    ALTER COLUMN at SET STATISTICS 0,
    ALTER COLUMN message SET STATISTICS 0;
