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

-- The planner of a blueprint with a pool is one queued task (docs/planner.md): its dedupe key
-- coalesces a burst of events into one evaluation, its serial key runs one evaluation at a time
-- anywhere. Priority -1: lease work goes first. Blueprints without a pool that expects something
-- queue nothing, unless p_force (a resource a pool built changed: a pool lowered to nothing still
-- has its surplus to retire).
CREATE FUNCTION dd_plan_blueprint(p_blueprint_id bigint, p_force boolean DEFAULT false) RETURNS void
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    v_type text;
BEGIN
    IF NOT p_force AND NOT EXISTS (SELECT 1 FROM dd_warm_pool WHERE blueprint_id = p_blueprint_id
                                   AND (min_ready > 0 OR max_ready_ms IS NOT NULL)) THEN
        RETURN;
    END IF;
    SELECT type INTO v_type FROM dd_blueprint WHERE id = p_blueprint_id;
    PERFORM tq_enqueue('drydock.plan:' || v_type, json_build_object('id', p_blueprint_id), -1, 0, 2147483647, 200, 30000,
                       'plan:' || p_blueprint_id, 'plan:' || p_blueprint_id);
END
$$;

CREATE FUNCTION dd_resource_wakes_planner() RETURNS trigger
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM dd_plan_blueprint(NEW.blueprint_id, NEW.warm_pool_id IS NOT NULL);
    RETURN NULL;
END
$$;

-- Every change that can move a pool's count wakes its planner in the transaction that makes it,
-- whichever code path made it: a resource built, broken, released or destroyed, an idle one taken
-- by a lease or left idle by its last. Deferred to commit, so the queue's dedupe key is locked
-- last, after every row the transaction needed; leases that go from one lease to two pass the
-- WHEN and cost nothing.
CREATE CONSTRAINT TRIGGER dd_resource_plans AFTER UPDATE OF status, active_leases ON dd_resource
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (OLD.status IS DISTINCT FROM NEW.status OR (OLD.active_leases = 0) IS DISTINCT FROM (NEW.active_leases = 0))
    EXECUTE FUNCTION dd_resource_wakes_planner();

CREATE FUNCTION dd_blueprint_wakes_planner() RETURNS trigger
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM dd_plan_blueprint(NEW.id);
    RETURN NULL;
END
$$;

-- An operator's change of limit or enabled changes what the planner may do.
CREATE CONSTRAINT TRIGGER dd_blueprint_plans AFTER UPDATE OF enabled, resource_limit ON dd_blueprint
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (OLD.enabled IS DISTINCT FROM NEW.enabled OR OLD.resource_limit IS DISTINCT FROM NEW.resource_limit)
    EXECUTE FUNCTION dd_blueprint_wakes_planner();

-- A lease that waited for room and gives up (its deadline passed, or it was released while
-- waiting) hands back the room warm builds yield to: the pools of its type look again. Leases
-- that are placed (PENDING -> ACQUIRED), the common transition, pass the WHEN and cost nothing.
CREATE FUNCTION dd_lease_wakes_planners() RETURNS trigger
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM dd_plan_blueprint(b.id) FROM dd_blueprint b
      WHERE b.resource_type = NEW.resource_type AND b.deleted_at IS NULL
        AND (NEW.allowed_blueprints = '{}' OR b.name = ANY (NEW.allowed_blueprints))
        AND EXISTS (SELECT 1 FROM dd_warm_pool p WHERE p.blueprint_id = b.id)
      ORDER BY b.id;
    RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER dd_lease_plans AFTER UPDATE OF status ON dd_lease
    DEFERRABLE INITIALLY DEFERRED
    FOR EACH ROW
    WHEN (OLD.status = 'PENDING' AND NEW.status IN ('BROKEN', 'RELEASED'))
    EXECUTE FUNCTION dd_lease_wakes_planners();
