package dev.drydock.api;

import java.util.regex.Pattern;

/**
 * The one rule for resource type names, in lease requests and in the filters of lease and resource
 * lists: a name that breaks it is refused, since no blueprint can build such a type.
 */
public final class ResourceType {
    /** The rule in words, for messages. */
    public static final String RULE = "lower-case letters, digits and '-', starting with a letter";
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");

    private ResourceType() {}

    /**
     * @throws InvalidRequestException {@code resourceType}, naming the rule and the value, when
     *         {@code type} breaks the rule
     */
    public static void check(String type) {
        if (!NAME.matcher(type).matches()) {
            throw new InvalidRequestException("resourceType", "must be " + RULE + ", was '" + type.replace("\0", "\\u0000") + "'");
        }
    }
}
