-- Leases and resources on their way out (RELEASED or BROKEN, not yet DESTROYED): the janitor's
-- orphan sweep and `status`'s count of failing destroys read these, and without an index they
-- would read the whole history. The other live statuses have partial indexes already
-- (dd_lease_waiting, dd_lease_on_resource, dd_resource_live).
CREATE INDEX dd_lease_ending ON dd_lease (id) WHERE status IN ('RELEASED', 'BROKEN');
CREATE INDEX dd_resource_ending ON dd_resource (id) WHERE status IN ('RELEASED', 'BROKEN');
