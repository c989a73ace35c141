-- A sub-lease taken while one lease of its owner is prepared (acquireLease: a web root's checkout
-- for one of its leases) serves that lease alone. Its end is that lease's concern, never the
-- owner's: the owner does not break, the served lease's step is woken instead (and fails or breaks
-- it, naming the chain), and an ACTIVE served lease breaks with the sub-lease's reason.
ALTER TABLE dd_lease ADD COLUMN for_lease_id bigint REFERENCES dd_lease (id);
CREATE INDEX dd_lease_for_lease ON dd_lease (for_lease_id) WHERE for_lease_id IS NOT NULL;

-- As in V9, whichever code path changed the sub-lease: the owner's update for a sub-lease of the
-- resource, the served lease's update (the engine's task for it: Tasks.updateLease) for one of a lease.
CREATE OR REPLACE FUNCTION dd_wake_sub_lease_owner() RETURNS trigger
LANGUAGE plpgsql VOLATILE
AS $$
BEGIN
    IF NEW.for_lease_id IS NOT NULL THEN
        PERFORM tq_enqueue('drydock.lease-update', json_build_object('id', NEW.for_lease_id), 0, 0, 2147483647, 200, 30000,
                           'lease:' || NEW.for_lease_id, 'lease:' || NEW.for_lease_id);
    ELSE
        PERFORM dd_update_resource(NEW.owner_resource_id);
    END IF;
    RETURN NULL;
END
$$;
