package dev.drydock.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.ResourceInfo;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** JSON documents for {@code --json}: one document per command, never a secret or owner token. */
public final class Output {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Output() {}

    public static String json(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

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
        m.put("activatedAt", l.activatedAt().map(Output::text).orElse(null));
        m.put("expiresAt", l.expiresAt().map(Output::text).orElse(null));
        m.put("acquireDeadline", text(l.acquireDeadline()));
        return m;
    }

    /** {@link #resource(ResourceInfo)} and the configuration its steps use, for {@code resource show}. */
    public static Map<String, Object> resource(ResourceInfo r, Optional<dev.drydock.core.ResourceConfig> config) {
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
        m.put("config", b.config());
        return m;
    }

    private static String text(Instant instant) {
        return instant.toString();
    }

    static String or(Optional<?> value) {
        return value.map(Object::toString).orElse("-");
    }
}
