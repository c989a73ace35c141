-- Lease and resource statuses are domains instead of column CHECK constraints, with the same
-- values. PostgreSQL rebuilds a table's CHECK constraints from their stored text, and plans them
-- again, in every statement that writes the table; a domain's check stays parsed in its type cache
-- and runs only when a statement assigns the column. Every lease transition writes dd_lease (see
-- the task queue's migration V4 for the measurement). dd_resource keeps its CHECK constraints on
-- capacity: the one that spans two columns cannot be a domain, and resources are written far less.
--
-- As in the task queue's V4, no table is rewritten: the columns change type while the domains have
-- no constraint (only the partial indexes over status are rebuilt), and the constraints follow NOT
-- VALID, since the table constraints they replace held every existing row to the same values.
CREATE DOMAIN dd_lease_status AS text;
CREATE DOMAIN dd_resource_status AS text;

ALTER TABLE dd_lease
    DROP CONSTRAINT dd_lease_status_check,
    ALTER COLUMN status TYPE dd_lease_status,
    ALTER COLUMN released_from TYPE dd_lease_status;

ALTER TABLE dd_resource
    DROP CONSTRAINT dd_resource_status_check,
    ALTER COLUMN status TYPE dd_resource_status;

ALTER DOMAIN dd_lease_status ADD CONSTRAINT dd_lease_status_check
    CHECK (VALUE IN ('PENDING', 'ACQUIRED', 'ACTIVE', 'RELEASED', 'BROKEN', 'DESTROYED')) NOT VALID;
ALTER DOMAIN dd_resource_status ADD CONSTRAINT dd_resource_status_check
    CHECK (VALUE IN ('PENDING', 'ACTIVE', 'RELEASED', 'BROKEN', 'DESTROYED')) NOT VALID;
