package dev.drydock.core.internal.engine;

import org.jdbi.v3.core.Jdbi;

/**
 * This database's installation id, read once (it is made with the schema and never changes), so
 * that every step's view carries it without a statement of its own.
 */
public final class Installation {
    private final Jdbi jdbi;
    private volatile String id;

    public Installation(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    /** The id; the first call reads it, and a failed read is tried again by the next call. */
    public String id() {
        String known = id;
        if (known == null) {
            known = jdbi.withHandle(h -> h.createQuery("SELECT id::text FROM dd_installation").mapTo(String.class).one());
            id = known; // racing first calls read the same row: harmless
        }
        return known;
    }
}
