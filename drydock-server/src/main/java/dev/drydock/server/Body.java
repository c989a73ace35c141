package dev.drydock.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drydock.core.DurationText;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A request's JSON object, read strictly: an unknown field, a field of the wrong kind or a missing
 * required one is a 400 naming the field, before anything is changed.
 */
final class Body {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final JsonNode json;

    private Body(JsonNode json) {
        this.json = json;
    }

    /** {@code text} as a JSON object with no fields but {@code allowed}. */
    static Body parse(String text, Set<String> allowed) {
        JsonNode json;
        try {
            json = MAPPER.readTree(text == null || text.isBlank() ? "{}" : text);
        } catch (JsonProcessingException e) {
            throw ApiError.badRequest("the body is not JSON: " + e.getOriginalMessage()).raise();
        }
        if (json == null || !json.isObject()) {
            throw ApiError.badRequest("the body must be a JSON object").raise();
        }
        for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw ApiError.badField(name, "unknown field '" + name + "'; the fields are " + allowed.stream().sorted().toList()).raise();
            }
        }
        return new Body(json);
    }

    /** The objects of the array {@code field} (required, not empty), each with no fields but {@code allowed}. */
    List<Body> objects(String field, Set<String> allowed) {
        JsonNode node = json.get(field);
        if (node == null || !node.isArray() || node.isEmpty()) {
            throw ApiError.badField(field, "'" + field + "' must be a non-empty array of objects").raise();
        }
        List<Body> items = new java.util.ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            try {
                items.add(parse(node.get(i).toString(), allowed));
            } catch (ApiError.Raised e) {
                String inner = field + "[" + i + "]" + e.error().field().map(f -> "." + f).orElse("");
                throw ApiError.badField(inner, inner + ": " + e.getMessage()).raise();
            }
        }
        return items;
    }

    String requiredText(String field) {
        return text(field).orElseThrow(() -> ApiError.badField(field, "'" + field + "' is required").raise());
    }

    Optional<String> text(String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw ApiError.badField(field, "'" + field + "' must be a string").raise();
        }
        return Optional.of(node.asText());
    }

    JsonNode requiredObject(String field) {
        return object(field).orElseThrow(() -> ApiError.badField(field, "'" + field + "' is required").raise());
    }

    Optional<JsonNode> object(String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isObject()) {
            throw ApiError.badField(field, "'" + field + "' must be a JSON object").raise();
        }
        return Optional.of(node);
    }

    Optional<Integer> integer(String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isInt()) {
            throw ApiError.badField(field, "'" + field + "' must be a whole number").raise();
        }
        return Optional.of(node.asInt());
    }

    Optional<Boolean> bool(String field) {
        JsonNode node = json.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw ApiError.badField(field, "'" + field + "' must be true or false").raise();
        }
        return Optional.of(node.asBoolean());
    }

    Map<String, String> textMap(String field) {
        JsonNode node = json.get(field);
        Map<String, String> map = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return map;
        }
        if (!node.isObject()) {
            throw ApiError.badField(field, "'" + field + "' must be an object of strings").raise();
        }
        node.fields().forEachRemaining(e -> {
            if (!e.getValue().isTextual()) {
                throw ApiError.badField(field, "'" + field + "." + e.getKey() + "' must be a string").raise();
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }

    List<String> textList(String field) {
        JsonNode node = json.get(field);
        List<String> list = new ArrayList<>();
        if (node == null || node.isNull()) {
            return list;
        }
        if (!node.isArray()) {
            throw ApiError.badField(field, "'" + field + "' must be an array of strings").raise();
        }
        node.forEach(item -> {
            if (!item.isTextual()) {
                throw ApiError.badField(field, "'" + field + "' must be an array of strings").raise();
            }
            list.add(item.asText());
        });
        return list;
    }

    Optional<Duration> duration(String field) {
        return text(field).map(t -> durationOf(field, t));
    }

    /** {@code text} read as a duration ({@code 30s}, {@code 5m}, {@code PT30S}), or a 400 naming {@code field}. */
    static Duration durationOf(String field, String text) {
        try {
            return DurationText.parse(text);
        } catch (IllegalArgumentException e) {
            throw ApiError.badField(field, "'" + field + "': " + e.getMessage()).raise();
        }
    }
}
