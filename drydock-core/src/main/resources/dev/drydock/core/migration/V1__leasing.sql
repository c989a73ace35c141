-- Capacity is counted from these rows, never from a cloud listing, and enforced by the database:
-- the CHECK constraints make an overshoot impossible whatever code path races, and every
-- reservation is a conditional UPDATE (... WHERE count < limit) that matches 0 rows when full.

CREATE TABLE dd_blueprint (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name           text        NOT NULL UNIQUE,
    type           text        NOT NULL,
    resource_type  text        NOT NULL,
    -- secrets appear here only as references (env:NAME, file:PATH)
    config         jsonb       NOT NULL,
    resource_limit integer     NOT NULL CHECK (resource_limit >= 0),
    -- resources not yet destroyed, reserved against resource_limit
    resource_count integer     NOT NULL DEFAULT 0,
    enabled        boolean     NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dd_blueprint_count_not_negative CHECK (resource_count >= 0)
);

CREATE TABLE dd_resource (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    blueprint_id   bigint      NOT NULL REFERENCES dd_blueprint (id),
    resource_type  text        NOT NULL,
    status         text        NOT NULL CHECK (status IN ('PENDING', 'ACTIVE', 'RELEASED', 'BROKEN', 'DESTROYED')),
    status_reason  text        NOT NULL,
    capacity       integer     NOT NULL CHECK (capacity >= 1),
    -- leases ACQUIRED or ACTIVE on it (and RELEASED ones not yet cleaned up)
    active_leases  integer     NOT NULL DEFAULT 0,
    attributes     jsonb       NOT NULL DEFAULT '{}',
    idle_since     timestamptz,
    -- when the last step failed, for ranking: recently failing resources are tried last
    failed_at      timestamptz,
    -- when its health was last checked (blueprints that ask for checks)
    checked_at     timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    version        bigint      NOT NULL DEFAULT 0,
    CONSTRAINT dd_resource_within_capacity CHECK (active_leases >= 0 AND active_leases <= capacity)
);
CREATE INDEX dd_resource_live ON dd_resource (blueprint_id, status) WHERE status IN ('PENDING', 'ACTIVE');

CREATE TABLE dd_lease (
    id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    owner_token          text        NOT NULL,
    resource_type        text        NOT NULL,
    attributes           jsonb       NOT NULL DEFAULT '{}',
    allowed_blueprints   text[]      NOT NULL DEFAULT '{}',
    status               text        NOT NULL CHECK (status IN ('PENDING', 'ACQUIRED', 'ACTIVE', 'RELEASED', 'BROKEN', 'DESTROYED')),
    status_reason        text        NOT NULL,
    resource_id          bigint      REFERENCES dd_resource (id),
    -- the one resource being built for this lease, if any
    building_resource_id bigint      REFERENCES dd_resource (id),
    lease_attributes     jsonb       NOT NULL DEFAULT '{}',
    ttl_ms               bigint,
    acquire_deadline     timestamptz NOT NULL,
    -- how many times allocation found no room, for backoff
    waits                integer     NOT NULL DEFAULT 0,
    created_at           timestamptz NOT NULL DEFAULT now(),
    activated_at         timestamptz,
    expires_at           timestamptz,
    released_at          timestamptz,
    updated_at           timestamptz NOT NULL DEFAULT now(),
    version              bigint      NOT NULL DEFAULT 0
);
CREATE INDEX dd_lease_waiting ON dd_lease (resource_type, id) WHERE status = 'PENDING';
CREATE INDEX dd_lease_on_resource ON dd_lease (resource_id) WHERE status IN ('ACQUIRED', 'ACTIVE', 'RELEASED');
CREATE INDEX dd_lease_expiring ON dd_lease (expires_at) WHERE status = 'ACTIVE' AND expires_at IS NOT NULL;

-- Every transition writes a row here, in the transaction that makes it.
CREATE TABLE dd_log (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at           timestamptz NOT NULL DEFAULT clock_timestamp(),
    lease_id     bigint,
    resource_id  bigint,
    blueprint_id bigint,
    message      text        NOT NULL
);
CREATE INDEX dd_log_lease ON dd_log (lease_id, id) WHERE lease_id IS NOT NULL;
CREATE INDEX dd_log_resource ON dd_log (resource_id, id) WHERE resource_id IS NOT NULL;
CREATE INDEX dd_log_blueprint ON dd_log (blueprint_id, id) WHERE blueprint_id IS NOT NULL;

-- Exclusive claims (one resource per pool host, one lease per working copy): a unique row
-- inserted in the transition that takes it, deleted when its owner is destroyed.
CREATE TABLE dd_slot_lock (
    lock_key          text   PRIMARY KEY,
    owner_resource_id bigint REFERENCES dd_resource (id),
    owner_lease_id    bigint REFERENCES dd_lease (id),
    CHECK (owner_resource_id IS NOT NULL OR owner_lease_id IS NOT NULL)
);
