-- A deleted blueprint keeps its row, since destroyed resources and log rows refer to it, and frees
-- its name for a new blueprint.
ALTER TABLE dd_blueprint ADD COLUMN deleted_at timestamptz;
ALTER TABLE dd_blueprint DROP CONSTRAINT dd_blueprint_name_key;
CREATE UNIQUE INDEX dd_blueprint_live_name ON dd_blueprint (name) WHERE deleted_at IS NULL;
