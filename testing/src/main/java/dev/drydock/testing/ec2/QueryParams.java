package dev.drydock.testing.ec2;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parameters of one EC2 Query request. Lists arrive flattened with 1-based indexes
 * ({@code InstanceId.1}, {@code Filter.2.Value.1}); {@link #list} and {@link #structures} fold them
 * back by index, not by position, because nothing in the protocol promises contiguous numbering.
 */
record QueryParams(Map<String, String> values) {
    QueryParams {
        values = Map.copyOf(values);
    }

    /** Parses an {@code application/x-www-form-urlencoded} body or query string. */
    static QueryParams parse(String form) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : form.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            values.put(decode(name), decode(value));
        }
        return new QueryParams(values);
    }

    String action() {
        return optional("Action").orElseThrow(() -> Ec2Error.client("MissingAction", "The request must contain the parameter Action"));
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(values.get(name));
    }

    String required(String name) {
        return optional(name).filter(v -> !v.isEmpty())
                .orElseThrow(() -> Ec2Error.client("MissingParameter", "The request must contain the parameter " + name));
    }

    int requiredInt(String name) {
        String value = required(name);
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw Ec2Error.client("InvalidParameterValue", "Value (" + value + ") for parameter " + name + " is invalid. Expected an integer.");
        }
    }

    boolean flag(String name) {
        return optional(name).map(Boolean::parseBoolean).orElse(false);
    }

    /** The values of {@code prefix.1}, {@code prefix.2}, ... in index order. */
    List<String> list(String prefix) {
        TreeMap<Integer, String> byIndex = new TreeMap<>();
        values.forEach((name, value) -> index(name, prefix)
                .filter(rest -> rest.suffix().isEmpty())
                .ifPresent(rest -> byIndex.put(rest.index(), value)));
        return List.copyOf(byIndex.values());
    }

    /** The members of {@code prefix.N.*} as one parameter set per index, in index order. */
    List<QueryParams> structures(String prefix) {
        TreeMap<Integer, Map<String, String>> byIndex = new TreeMap<>();
        values.forEach((name, value) -> index(name, prefix)
                .filter(rest -> rest.suffix().startsWith("."))
                .ifPresent(rest -> byIndex.computeIfAbsent(rest.index(), i -> new LinkedHashMap<>())
                        .put(rest.suffix().substring(1), value)));
        List<QueryParams> result = new ArrayList<>();
        byIndex.values().forEach(members -> result.add(new QueryParams(members)));
        return result;
    }

    private record Indexed(int index, String suffix) {}

    private static Optional<Indexed> index(String name, String prefix) {
        if (!name.startsWith(prefix + ".")) {
            return Optional.empty();
        }
        String rest = name.substring(prefix.length() + 1);
        int end = 0;
        while (end < rest.length() && Character.isDigit(rest.charAt(end))) {
            end++;
        }
        if (end == 0 || end > 9) {
            return Optional.empty();
        }
        return Optional.of(new Indexed(Integer.parseInt(rest.substring(0, end)), rest.substring(end)));
    }

    private static String decode(String text) {
        return URLDecoder.decode(Objects.requireNonNull(text), StandardCharsets.UTF_8);
    }
}
