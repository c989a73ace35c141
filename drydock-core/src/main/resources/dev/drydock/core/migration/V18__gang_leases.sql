-- Gang leases (docs/planner-gangs.md): leases that become ACTIVE together or not at all. The gang
-- row carries the one deadline and where the gang stands; its members are ordinary leases that name it.
CREATE TABLE dd_gang (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    status           text        NOT NULL CHECK (status IN ('WAITING', 'RESERVED', 'ACTIVE', 'BROKEN', 'ENDED')),
    status_reason    text        NOT NULL,
    acquire_deadline timestamptz NOT NULL,
    size             integer     NOT NULL CHECK (size BETWEEN 1 AND 1000),
    -- admissions undone by a member's failure: the re-queued gang backs off on it
    tries            integer     NOT NULL DEFAULT 0,
    -- looks that found no room: the waiting gang backs off on it, as a waiting lease does on its waits
    waits            integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    version          bigint      NOT NULL DEFAULT 0
);
CREATE INDEX dd_gang_live ON dd_gang (id) WHERE status IN ('WAITING', 'RESERVED');

ALTER TABLE dd_lease ADD COLUMN gang_id bigint REFERENCES dd_gang (id);
-- a gang member its blueprint has prepared (acquireLease done): it stays ACQUIRED until every member is
ALTER TABLE dd_lease ADD COLUMN prepared_at timestamptz;
CREATE INDEX dd_lease_gang ON dd_lease (gang_id) WHERE gang_id IS NOT NULL;

-- The FIFO hold (docs/planner-gangs.md, "Admission"): the oldest waiting gang that wants room on this
-- blueprint, named by its first member (leases and gangs are ordered by lease id, the one request
-- order), and what it still needs there. On the blueprint row, because the offers every lease
-- allocation reads already carry that row: a younger request learns of the hold at no extra cost.
ALTER TABLE dd_blueprint ADD COLUMN gang_hold_lease_id bigint;
ALTER TABLE dd_blueprint ADD COLUMN gang_hold_places integer NOT NULL DEFAULT 0;
ALTER TABLE dd_blueprint ADD COLUMN gang_hold_builds integer NOT NULL DEFAULT 0;
