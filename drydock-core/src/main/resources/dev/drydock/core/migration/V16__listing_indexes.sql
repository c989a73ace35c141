-- Lists filtered by status, type or blueprint, newest first by id below a cursor (the HTTP API's
-- and the console's pages), each read from one index range in id order, so a page costs the same
-- at 1,000,000 leases and 100,000 resources as at a hundred; checked with EXPLAIN on a database
-- seeded that large (docs/architecture.md, "HTTP API").
--
-- A lease's status needs no new index: the live statuses have partial indexes (dd_lease_waiting,
-- dd_lease_on_resource, dd_lease_ending) that hold few rows, and DESTROYED, nearly every row of
-- the history, fills a page from the primary key's newest end. A lease's blueprint is its
-- resource's: dd_lease_by_resource finds the leases of that blueprint's resources.
CREATE INDEX dd_lease_by_type ON dd_lease (resource_type, id);
CREATE INDEX dd_lease_by_resource ON dd_lease (resource_id, id) WHERE resource_id IS NOT NULL;

-- Resources are written a few times in their life, so plain indexes cost little.
CREATE INDEX dd_resource_by_status ON dd_resource (status, id);
CREATE INDEX dd_resource_by_type ON dd_resource (resource_type, id);
CREATE INDEX dd_resource_by_blueprint ON dd_resource (blueprint_id, id);
