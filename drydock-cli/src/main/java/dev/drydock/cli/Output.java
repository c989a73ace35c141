package dev.drydock.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.ResourceInfo;
import dev.drydock.server.Documents;
import java.util.Map;
import java.util.Optional;

/** JSON for {@code --json}: one document per command, in the HTTP API's vocabulary ({@link Documents}), never a secret or owner token. */
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
        return Documents.lease(l);
    }

    /** {@link #resource(ResourceInfo)} and the configuration its steps use, for {@code resource show}. */
    public static Map<String, Object> resource(ResourceInfo r, Optional<dev.drydock.core.ResourceConfig> config) {
        return Documents.resource(r, config);
    }

    public static Map<String, Object> resource(ResourceInfo r) {
        return Documents.resource(r);
    }

    public static Map<String, Object> blueprint(BlueprintInfo b) {
        return Documents.blueprint(b);
    }

    static String or(Optional<?> value) {
        return value.map(Object::toString).orElse("-");
    }
}
