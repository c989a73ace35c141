package dev.drydock.core.internal.blueprint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.drydock.api.InvalidRequestException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Reads a blueprint configuration strictly: one JSON object, each field once, of the type its
 * record declares (no 1.5 for a count, no "2" for a number, no 12 for a path), nothing unknown.
 * Every refusal is a sentence that names the field, what it must be and what it was, in words a
 * person who wrote the JSON understands (never the mapper's own vocabulary).
 */
final class ConfigReader {
    private static final ObjectMapper STRICT = strict();

    private ConfigReader() {}

    private static ObjectMapper strict() {
        JsonMapper mapper = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .build();
        for (LogicalType type : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean, LogicalType.Textual}) {
            mapper.coercionConfigFor(type)
                    .setCoercion(CoercionInputShape.String, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Integer, type == LogicalType.Integer || type == LogicalType.Float
                            ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, type == LogicalType.Float ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, type == LogicalType.Boolean ? CoercionAction.TryConvert : CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.EmptyString, type == LogicalType.Textual ? CoercionAction.TryConvert : CoercionAction.Fail);
        }
        return mapper;
    }

    static <C extends Record> C read(String type, String json, Class<C> configType) {
        JsonNode tree = tree(json);
        try {
            return STRICT.treeToValue(tree, configType);
        } catch (UnrecognizedPropertyException e) {
            String field = field(e);
            throw new InvalidRequestException(field, "no such field for blueprint type " + type + "; its fields are: "
                    + names(e.getKnownPropertyIds()));
        } catch (MismatchedInputException e) {
            String field = field(e);
            throw new InvalidRequestException(field, "must be " + expected(e.getTargetType()) + ", was " + given(tree, e));
        } catch (JsonMappingException e) {
            throw new InvalidRequestException(field(e), "cannot be read: " + firstClause(String.valueOf(e.getOriginalMessage())));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("config", describeSyntax(e));
        }
    }

    /** The configuration as a JSON object, or a refusal saying what is wrong with the text. */
    static JsonNode tree(String json) {
        if (json.isBlank()) {
            throw new InvalidRequestException("config", "is empty: give a JSON object such as {\"root\": \"/var/lib/drydock\"}");
        }
        JsonNode tree;
        try {
            tree = STRICT.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("config", describeSyntax(e));
        }
        if (tree == null || !tree.isObject()) {
            throw new InvalidRequestException("config", "must be a JSON object {...}, was " + kind(tree));
        }
        StorableText.check(tree, "config");
        return tree;
    }

    /** A syntax error as a sentence: where it is and what was found, or which field came twice. */
    static String describeSyntax(JsonProcessingException e) {
        String original = String.valueOf(e.getOriginalMessage());
        if (original.startsWith("Duplicate field '")) {
            String name = original.substring("Duplicate field '".length(), original.indexOf('\'', "Duplicate field '".length()));
            return "field '" + name + "' is given twice; give each field once";
        }
        if (original.startsWith("Trailing token")) {
            return "has more after the first JSON value; give exactly one object {...}";
        }
        var at = e.getLocation();
        String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
        return "is not valid JSON" + where + ": " + firstClause(original);
    }

    /** The parser's own words up to where they turn to its internals (expected tokens, source locations). */
    private static String firstClause(String message) {
        if (message.startsWith("Unexpected end-of-input")) {
            return "it ends before the JSON is complete (a closing '}', ']' or '\"' is missing)";
        }
        String clause = message;
        for (String internals : new String[] {": was expecting", " (start marker", "[Source:", "\n"}) {
            int cut = clause.indexOf(internals);
            if (cut > 0) {
                clause = clause.substring(0, cut);
            }
        }
        return clause.replace("JsonToken.", "").strip();
    }

    private static String field(JsonMappingException e) {
        String path = e.getPath().stream().map(r -> r.getFieldName() == null ? "[" + r.getIndex() + "]" : "." + r.getFieldName())
                .collect(Collectors.joining());
        return "config" + path;
    }

    private static String names(Collection<Object> known) {
        return new TreeSet<>(known.stream().map(String::valueOf).toList()).stream().collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "of another kind";
        }
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class
                || target == short.class || target == Short.class) {
            return "a whole number";
        }
        if (target == double.class || target == Double.class || target == float.class || target == Float.class) {
            return "a number";
        }
        if (target == boolean.class || target == Boolean.class) {
            return "true or false";
        }
        if (target == String.class) {
            return "text (a JSON string)";
        }
        if (Collection.class.isAssignableFrom(target) || target.isArray()) {
            return "a list [...]";
        }
        if (Map.class.isAssignableFrom(target) || target.isRecord()) {
            return "an object {...}";
        }
        return "of another kind";
    }

    /** The offending value as the user wrote it, found by following the error's path in the tree. */
    private static String given(JsonNode tree, JsonMappingException e) {
        JsonNode node = tree;
        for (JsonMappingException.Reference r : e.getPath()) {
            if (node == null) {
                break;
            }
            node = r.getFieldName() != null ? node.get(r.getFieldName()) : node.get(r.getIndex());
        }
        return kind(node);
    }

    private static String kind(JsonNode node) {
        if (node == null || node.isMissingNode()) {
            return "nothing";
        }
        if (node.isNull()) {
            return "null";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isObject()) {
            return "an object";
        }
        String text = node.toString();
        return text.length() > 60 ? text.substring(0, 57) + "..." : text;
    }
}
