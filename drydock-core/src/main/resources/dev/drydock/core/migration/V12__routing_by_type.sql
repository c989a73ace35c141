-- Resource updates are routed by blueprint type (architecture decision 45): their kind is
-- 'drydock.resource-update:' || type, and a taskmaster claims only the kinds of the types it
-- registered, so a daemon without a type's implementation never takes (and fails) its work.
CREATE OR REPLACE FUNCTION dd_update_resource(p_resource_id bigint) RETURNS bigint
LANGUAGE plpgsql VOLATILE
AS $$
DECLARE
    v_type text;
BEGIN
    SELECT b.type INTO v_type FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id WHERE r.id = p_resource_id;
    IF v_type IS NULL THEN
        RAISE EXCEPTION 'no resource %', p_resource_id;
    END IF;
    RETURN tq_enqueue('drydock.resource-update:' || v_type, json_build_object('id', p_resource_id), 0, 0, 2147483647, 200, 30000,
                      'resource:' || p_resource_id, 'resource:' || p_resource_id);
END
$$;

-- Updates queued before this migration move to their type's kind (one per resource, so the dedupe
-- index cannot conflict); one a taskmaster of the old version puts back later is forwarded by the
-- new taskmasters' handler of the old kind.
UPDATE tq_task t SET kind = 'drydock.resource-update:' || b.type
  FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id
 WHERE t.kind = 'drydock.resource-update' AND t.state = 'queued' AND r.id = (t.payload ->> 'id')::bigint;
