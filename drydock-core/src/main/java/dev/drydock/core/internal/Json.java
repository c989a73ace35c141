package dev.drydock.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.api.DrydockException;
import java.util.Map;
import java.util.TreeMap;

/** The one Jackson mapper: strict about unknown fields, so a typo in a configuration is refused. */
public final class Json {
    public static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new DrydockException("could not encode JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Map<String, String> stringMap(String json) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            return new TreeMap<>(MAPPER.readValue(json, new TypeReference<Map<String, String>>() {}));
        } catch (JsonProcessingException e) {
            throw new DrydockException("could not decode a string map: " + e.getOriginalMessage(), e);
        }
    }
}
