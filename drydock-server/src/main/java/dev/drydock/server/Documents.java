package dev.drydock.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.core.DestroyFailures;
import dev.drydock.core.Drydock;
import dev.drydock.core.ResourceConfig;
import dev.drydock.core.WaitLink;
import dev.drydock.taskqueue.QueueStats;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON documents of leases, resources, blueprints and status: one vocabulary for the HTTP API
 * and the CLI's {@code --json}. They never hold a secret or an owner token; a blueprint's
 * configuration holds secret references only (architecture decision 42).
 */
public final class Documents {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The failing destroys status lists with their errors; its count covers all of them. */
    public static final int SHOWN_FAILURES = 5;

    private Documents() {}

    public static Map<String, Object> lease(LeaseInfo l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("status", l.status().name());
        m.put("resourceType", l.resourceType());
        m.put("resourceId", l.resourceId().orElse(null));
        m.put("blueprint", l.blueprintName().orElse(null));
        m.put("statusReason", l.statusReason());
        m.put("attributes", l.attributes());
        m.put("leaseAttributes", l.leaseAttributes());
        m.put("createdAt", text(l.createdAt()));
        m.put("activatedAt", l.activatedAt().map(Documents::text).orElse(null));
        m.put("expiresAt", l.expiresAt().map(Documents::text).orElse(null));
        m.put("acquireDeadline", text(l.acquireDeadline()));
        return m;
    }

    /** {@link #resource(ResourceInfo)} and the configuration its steps use. */
    public static Map<String, Object> resource(ResourceInfo r, Optional<ResourceConfig> config) {
        Map<String, Object> m = resource(r);
        config.ifPresent(c -> {
            try {
                m.put("config", MAPPER.readTree(c.configJson()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e); // stored as jsonb: always a JSON document
            }
            m.put("configIsBlueprintsCurrent", c.blueprintsCurrent());
        });
        return m;
    }

    public static Map<String, Object> resource(ResourceInfo r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", r.id());
        m.put("status", r.status().name());
        m.put("resourceType", r.resourceType());
        m.put("blueprint", r.blueprintName());
        m.put("statusReason", r.statusReason());
        m.put("capacity", r.capacity());
        m.put("activeLeases", r.activeLeases());
        m.put("attributes", r.attributes());
        m.put("createdAt", text(r.createdAt()));
        return m;
    }

    public static Map<String, Object> blueprint(BlueprintInfo b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("name", b.name());
        m.put("type", b.type());
        m.put("resourceType", b.resourceType());
        m.put("enabled", b.enabled());
        m.put("limit", b.limit());
        m.put("resources", b.resources());
        m.put("placement", b.placement());
        m.put("config", b.config());
        return m;
    }

    /** A warm pool: its expectation and the planner's last verdict. */
    public static Map<String, Object> warmPool(dev.drydock.api.WarmPoolInfo p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blueprint", p.blueprint());
        m.put("attributes", new java.util.TreeMap<>(p.attributes()));
        m.put("minReady", p.minReady());
        m.put("maxReadyAge", p.maxReadyAge().map(dev.drydock.core.DurationText::format).orElse(null));
        m.put("status", p.status());
        return m;
    }

    /** Why a lease is where it is: its reason, and what it waits on link by link ({@link Drydock#waitChain}). */
    public static Map<String, Object> why(LeaseInfo lease, List<WaitLink> chain) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", lease.id());
        m.put("status", lease.status().name());
        m.put("statusReason", lease.statusReason());
        m.put("waitsOn", chain.stream().map(Documents::link).toList());
        return m;
    }

    private static Map<String, Object> link(WaitLink link) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("depth", link.depth());
        m.put("description", link.description());
        return m;
    }

    /** Taskmasters, queue, leases by status, failing destroys and reapers: what {@code status} shows. */
    public static Map<String, Object> status(Drydock drydock) {
        QueueStats queue = drydock.queue().stats();
        Map<LeaseStatus, Long> leases = drydock.leaseCounts();
        DestroyFailures failing = drydock.destroyFailures(SHOWN_FAILURES);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("installationId", drydock.installationId());
        m.put("taskmasters", queue.taskmasters().stream().map(t -> Map.of("id", t.id(), "host", t.host(), "pid", t.pid(),
                "threads", t.threads(), "heartbeatAt", t.heartbeatAt().toString())).toList());
        m.put("queueDepth", queue.depth());
        m.put("unhandledKinds", queue.unhandledKinds());
        m.put("typesWithoutTaskmaster", drydock.typesWithoutTaskmaster());
        Map<String, Long> byStatus = new LinkedHashMap<>();
        leases.forEach((k, v) -> byStatus.put(k.name(), v));
        m.put("leases", byStatus);
        m.put("resourcesFailingToDestroy", failing.count());
        m.put("failingDestroys", failing.latest().stream().map(f -> Map.of("resource", f.resourceId(), "blueprint", f.blueprint(),
                "reason", f.reason(), "since", f.since().toString())).toList());
        m.put("reapers", drydock.reapers().blueprints().stream().map(b -> Map.of("blueprint", b.name(), "reaped", b.reaped(),
                "waiting", b.waiting(), "failing", b.failing(), "errors", b.errors())).toList());
        m.put("warmPools", drydock.blueprints().warmPools().stream().map(Documents::warmPool).toList());
        return m;
    }

    private static String text(Instant instant) {
        return instant.toString();
    }
}
