-- One row naming this installation (this database's Drydock) with a random id. Clients key what
-- they keep per database by it (the CLI's owner tokens, see docs/architecture.md), and cloud
-- blueprints will tag what they create with it, so a reaper never touches another installation's.
CREATE TABLE dd_installation (
    id         uuid        NOT NULL DEFAULT gen_random_uuid() PRIMARY KEY,
    one_row    boolean     NOT NULL DEFAULT true UNIQUE CHECK (one_row),
    created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO dd_installation DEFAULT VALUES;
