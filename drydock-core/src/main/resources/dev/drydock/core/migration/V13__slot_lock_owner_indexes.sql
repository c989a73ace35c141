-- Slot locks are freed by owner: a lease's clean-up deletes its own (LeaseCapacity, per batch), a
-- resource's destroy its own (ResourceStore), and deleting or archiving an owner row checks the
-- foreign keys. Without these, each of those scanned every slot lock of the installation.
CREATE INDEX dd_slot_lock_lease ON dd_slot_lock (owner_lease_id) WHERE owner_lease_id IS NOT NULL;
CREATE INDEX dd_slot_lock_resource ON dd_slot_lock (owner_resource_id) WHERE owner_resource_id IS NOT NULL;
