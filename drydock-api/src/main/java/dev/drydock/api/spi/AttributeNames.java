package dev.drydock.api.spi;

import dev.drydock.api.AttributeName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Validation of a blueprint's declared {@code attributes}, for its {@code validate}. */
public final class AttributeNames {
    private AttributeNames() {}

    /** A problem for each attribute whose name breaks {@link AttributeName#RULE} or whose value is empty. */
    public static List<ConfigProblem> problems(Map<String, String> attributes) {
        List<ConfigProblem> problems = new ArrayList<>();
        new TreeMap<>(attributes).forEach((name, value) -> {
            if (!AttributeName.isValid(name)) {
                problems.add(new ConfigProblem("attributes", "'" + name + "' is not an attribute name: " + AttributeName.RULE));
            } else if (value == null || value.isEmpty()) {
                problems.add(new ConfigProblem("attributes." + name, "needs a value"));
            }
        });
        return problems;
    }
}
