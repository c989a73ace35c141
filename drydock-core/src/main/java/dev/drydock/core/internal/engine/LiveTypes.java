package dev.drydock.core.internal.engine;

import java.util.Set;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;

/**
 * The blueprint types that some live taskmaster runs: those whose resource updates it claims
 * (architecture decision 45), read from the queue's registry of taskmasters, whose heartbeats say
 * which are alive. Read only when work must be routed or explained, never on the lease path.
 */
public final class LiveTypes {
    private LiveTypes() {}

    public static Set<String> of(Handle h) {
        return new TreeSet<>(h.createQuery("""
                        SELECT DISTINCT substr(k, length(:prefix) + 1) FROM tq_taskmaster m CROSS JOIN unnest(m.kinds) k
                         WHERE starts_with(k, :prefix) AND m.heartbeat_at > now() - m.lease_ms * interval '1 millisecond'""")
                .bind("prefix", Tasks.resourceUpdateKind("")).mapTo(String.class).list());
    }
}
