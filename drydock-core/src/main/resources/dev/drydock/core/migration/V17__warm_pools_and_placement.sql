-- Warm pools (docs/planner.md): per blueprint and attribute set, how many idle, ready resources
-- to keep and how old one may grow while idle. A pool is an engine setting of the blueprint, like
-- its limit, not part of the type's configuration record, which every type reads strictly.
CREATE TABLE dd_warm_pool (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    blueprint_id  bigint      NOT NULL REFERENCES dd_blueprint (id),
    attributes    jsonb       NOT NULL DEFAULT '{}',
    min_ready     integer     NOT NULL CHECK (min_ready BETWEEN 0 AND 10000),
    max_ready_ms  bigint      CHECK (max_ready_ms IS NULL OR max_ready_ms >= 1000),
    -- the planner's last verdict, so that status, why and the console read it instead of recomputing it
    status_reason text        NOT NULL DEFAULT 'not evaluated yet',
    -- warm builds that broke in a row, and no warm build before next_build_at: a dead cloud is not hammered
    failures      integer     NOT NULL DEFAULT 0,
    next_build_at timestamptz,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (blueprint_id, attributes)
);

-- A resource built for a pool rather than for a lease; cleared when a lease adopts the build.
ALTER TABLE dd_resource ADD COLUMN warm_pool_id bigint REFERENCES dd_warm_pool (id);
-- When it became ACTIVE: a pool's resources age from here.
ALTER TABLE dd_resource ADD COLUMN ready_at timestamptz;
CREATE INDEX dd_resource_warm ON dd_resource (warm_pool_id, status)
    WHERE warm_pool_id IS NOT NULL AND status IN ('PENDING', 'ACTIVE');
-- Idle resources of a blueprint (the planner counts them on each evaluation).
CREATE INDEX dd_resource_idle ON dd_resource (blueprint_id, id) WHERE status = 'ACTIVE' AND active_leases = 0;

-- The scorer that ranks a blueprint's resources for a lease (docs/planner.md, "Placement").
ALTER TABLE dd_blueprint ADD COLUMN placement text NOT NULL DEFAULT 'binpack';
