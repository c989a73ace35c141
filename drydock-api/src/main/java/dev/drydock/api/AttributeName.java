package dev.drydock.api;

import java.util.regex.Pattern;

/** The one rule for attribute names, in lease requests and in blueprints' declared attributes alike. */
public final class AttributeName {
    /** The rule in words, for messages. */
    public static final String RULE = "letters, digits, '_', '.', '-', starting with a letter, at most 63 characters";
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,62}");

    private AttributeName() {}

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }
}
