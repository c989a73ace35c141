package dev.drydock.core.internal.store;

import org.jdbi.v3.core.Handle;

/** Writes lease and resource history rows, always inside the transaction that made the change. */
public final class EventLog {
    private EventLog() {}

    public static void lease(Handle h, long leaseId, Long resourceId, String message) {
        h.createUpdate("INSERT INTO dd_log (lease_id, resource_id, message) VALUES (:l, :r, :m)")
                .bind("l", leaseId).bind("r", resourceId).bind("m", message).execute();
    }

    public static void resource(Handle h, long resourceId, long blueprintId, String message) {
        h.createUpdate("INSERT INTO dd_log (resource_id, blueprint_id, message) VALUES (:r, :b, :m)")
                .bind("r", resourceId).bind("b", blueprintId).bind("m", message).execute();
    }

    public static void blueprint(Handle h, long blueprintId, String message) {
        h.createUpdate("INSERT INTO dd_log (blueprint_id, message) VALUES (:b, :m)")
                .bind("b", blueprintId).bind("m", message).execute();
    }
}
