-- The configuration a resource was built with is stored with it (architecture decision 42): every
-- later step of the resource (activate, health checks, its leases, interfaces, idle questions,
-- destroy) uses it, so editing a blueprint (a new region, new credentials) never strands or
-- mis-destroys what the old configuration built. A configuration holds references only, never
-- secret values.
--
-- config_version numbers a blueprint's configurations: it grows by one with each change. A resource
-- records the version it was built with next to its copy of the configuration, so the hot
-- statements read one integer per resource and compare it with the blueprint's; the copy itself is
-- read only for resources built with an older configuration. Resources made before this migration
-- have neither and use their blueprint's current configuration.
ALTER TABLE dd_blueprint ADD COLUMN config_version integer NOT NULL DEFAULT 1;
ALTER TABLE dd_resource ADD COLUMN config jsonb, ADD COLUMN config_version integer;

-- No statement filters on them (V4's rule for columns read back by id).
ALTER TABLE dd_resource
    ALTER COLUMN config SET STATISTICS 0,
    ALTER COLUMN config_version SET STATISTICS 0;
