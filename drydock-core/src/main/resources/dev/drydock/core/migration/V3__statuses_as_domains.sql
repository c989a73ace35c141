-- Lease and resource statuses are domains instead of column CHECK constraints, with the same
-- values. PostgreSQL rebuilds a table's CHECK constraints from their stored text, and plans them
-- again, in every statement that writes the table; a domain's check stays parsed in its type cache
-- and runs only when a statement assigns the column. Every lease transition writes dd_lease (see
-- the task queue's migration V4 for the measurement). dd_resource keeps its CHECK constraints on
-- capacity: the one that spans two columns cannot be a domain, and resources are written far less.
CREATE DOMAIN dd_lease_status AS text
    CHECK (VALUE IN ('PENDING', 'ACQUIRED', 'ACTIVE', 'RELEASED', 'BROKEN', 'DESTROYED'));
CREATE DOMAIN dd_resource_status AS text
    CHECK (VALUE IN ('PENDING', 'ACTIVE', 'RELEASED', 'BROKEN', 'DESTROYED'));

ALTER TABLE dd_lease
    DROP CONSTRAINT dd_lease_status_check,
    ALTER COLUMN status TYPE dd_lease_status,
    ALTER COLUMN released_from TYPE dd_lease_status;

ALTER TABLE dd_resource
    DROP CONSTRAINT dd_resource_status_check,
    ALTER COLUMN status TYPE dd_resource_status;
