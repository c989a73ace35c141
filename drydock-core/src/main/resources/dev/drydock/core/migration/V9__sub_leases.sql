-- A lease a resource holds on another resource (DESIGN §11): owned by that resource, named by its
-- blueprint so that a repeated step finds it again. The name is cleared when the owner lets the
-- lease go (or is destroyed), which frees the name and marks the lease as no longer the owner's
-- concern: only a named sub-lease that breaks or is released by someone else breaks its owner.
ALTER TABLE dd_lease ADD COLUMN owner_resource_id bigint REFERENCES dd_resource (id);
ALTER TABLE dd_lease ADD COLUMN owner_name text;
ALTER TABLE dd_lease ADD CONSTRAINT dd_lease_owner_named CHECK (owner_name IS NULL OR owner_resource_id IS NOT NULL);
CREATE UNIQUE INDEX dd_lease_owned ON dd_lease (owner_resource_id, owner_name) WHERE owner_name IS NOT NULL;

-- Queues the update of one resource: the one definition, called by the engine (Tasks.updateResource)
-- and by the trigger below. Its retry policy is the engine's (Tasks.RETRIES): never given up, since a
-- resource whose task is archived as failed would be stranded.
CREATE FUNCTION dd_update_resource(p_resource_id bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    RETURN tq_enqueue('drydock.resource-update', json_build_object('id', p_resource_id), 0, 0, 2147483647, 200, 30000,
                      'resource:' || p_resource_id, 'resource:' || p_resource_id);
END
$$;

-- A sub-lease that changes wakes its owner's step in the transaction that changes it, whichever
-- code path made the change (allocation, activation, breakage, a holder's or operator's release,
-- a TTL): the owner waits on a long delay and never polls. Other leases pass the WHEN and cost nothing.
CREATE FUNCTION dd_wake_sub_lease_owner() RETURNS trigger
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    PERFORM dd_update_resource(NEW.owner_resource_id);
    RETURN NULL;
END
$$;

CREATE TRIGGER dd_sub_lease_wakes_owner AFTER UPDATE OF status ON dd_lease
    FOR EACH ROW
    WHEN (NEW.owner_name IS NOT NULL AND NEW.status IN ('ACTIVE', 'BROKEN', 'RELEASED') AND OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION dd_wake_sub_lease_owner();
