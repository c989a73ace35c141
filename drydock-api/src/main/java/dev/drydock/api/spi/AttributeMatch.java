package dev.drydock.api.spi;

import java.util.Map;
import java.util.TreeMap;

/**
 * The default attribute rule ({@link BlueprintImplementation#meetsAttributes}): a lease's requested
 * attributes are requirements, each met only by the same name with the same value among the
 * attributes a blueprint declares for its resources. A name the blueprint does not declare never
 * matches, so a lease is not placed on a host that merely lacks the fact it asked for.
 */
public final class AttributeMatch {
    private AttributeMatch() {}

    public static Decision of(Map<String, String> requested, Map<String, String> declared) {
        for (Map.Entry<String, String> want : new TreeMap<>(requested).entrySet()) {
            String has = declared.get(want.getKey());
            if (!want.getValue().equals(has)) {
                String declares = declared.isEmpty() ? "it declares no attributes" : "it declares " + new TreeMap<>(declared);
                return Decision.no("its resources do not have " + want.getKey() + "=" + want.getValue()
                        + (has == null ? "" : " (they have " + want.getKey() + "=" + has + ")") + "; " + declares);
            }
        }
        return Decision.yes();
    }
}
