package dev.drydock.core.internal.blueprint;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.api.InvalidRequestException;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses a configuration the database cannot store: PostgreSQL's {@code jsonb} has no room for the
 * NUL character ({@code \u0000}), in a value or in a field's name, so a configuration holding one
 * is refused naming where it is, before anything is written.
 */
final class StorableText {
    private StorableText() {}

    static void check(JsonNode node, String path) {
        if (node.isTextual() && node.textValue().indexOf('\0') >= 0) {
            throw refusal(path);
        }
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                check(node.get(i), path + "[" + i + "]");
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            String at = path + "." + field.getKey().replace("\0", "\\u0000");
            if (field.getKey().indexOf('\0') >= 0) {
                throw refusal(at);
            }
            check(field.getValue(), at);
        }
    }

    private static InvalidRequestException refusal(String path) {
        return new InvalidRequestException(path, "contains a NUL character (\\u0000), which cannot be stored; remove it");
    }
}
