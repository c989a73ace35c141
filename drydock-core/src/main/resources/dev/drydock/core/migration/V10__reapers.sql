-- Reapers (architecture decision 46): a blueprint's reaper lists the objects its resources made
-- outside the database, and the engine destroys one only when, on two passes at least one interval
-- apart, the resource its tags name has no row or a DESTROYED one. (V9 is taken by sub-leases.)

-- Objects seen orphaned on a pass and not yet destroyed. A pass deletes the rows of objects it did
-- not find orphaned (listed with a live row, or not listed at all), so the table holds only
-- orphans and stays as small as the leaks are few. first_seen_at is the database's clock at the
-- pass that first found the object orphaned: an object is destroyed by a later pass only if that
-- is one interval ago or more.
CREATE TABLE dd_reap_candidate (
    blueprint_id  bigint      NOT NULL REFERENCES dd_blueprint (id),
    object_id     text        NOT NULL,
    -- the resource its tag names; its row was missing or DESTROYED when last seen
    resource_id   bigint      NOT NULL,
    first_seen_at timestamptz NOT NULL DEFAULT now(),
    -- destroys that threw, in a row, and the latest error: `status` shows them
    failures      integer     NOT NULL DEFAULT 0,
    last_error    text,
    PRIMARY KEY (blueprint_id, object_id)
);

-- One row per blueprint whose reaper has run: what `status` reports, read without touching history.
CREATE TABLE dd_reaper (
    blueprint_id bigint      PRIMARY KEY REFERENCES dd_blueprint (id),
    -- objects destroyed, ever
    reaped       bigint      NOT NULL DEFAULT 0,
    -- why the latest pass could not list (some of) the objects; NULL when it could
    list_error   text,
    passed_at    timestamptz
);

-- The configurations a pass lists with include those of resources destroyed lately (an edited
-- blueprint's old region may still hold what they leaked). Resources keep their rows forever, so
-- without this the pass would read the blueprint's whole history. Only DESTROYED rows are in it,
-- and the lease path's updates of a resource change none of its columns.
CREATE INDEX dd_resource_destroyed ON dd_resource (blueprint_id, updated_at) WHERE status = 'DESTROYED';
