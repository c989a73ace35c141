package dev.drydock.server;

import io.javalin.http.Context;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Path and query parameters read strictly: a bad one is a 400 naming it. Shared with the console; not for applications. */
public final class Query {
    private Query() {}

    /** The {@code {id}} path parameter: a positive whole number. */
    public static long pathId(Context ctx) {
        String text = ctx.pathParam("id");
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiError.badField("id", "the id must be a positive whole number, was '" + text + "'").raise();
    }

    public static int integer(Context ctx, String name, int absent, int min, int max) {
        return (int) longValue(ctx, name, absent, min, max);
    }

    public static long longValue(Context ctx, String name, long absent, long min, long max) {
        String text = ctx.queryParam(name);
        if (text == null) {
            return absent;
        }
        try {
            long value = Long.parseLong(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw ApiError.badField(name, "'" + name + "' must be a whole number from " + min + " to " + max + ", was '" + text + "'").raise();
    }

    /** Query parameter {@code name}, if given and not blank. */
    public static Optional<String> text(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).filter(t -> !t.isBlank());
    }

    /** Query parameter {@code name} as one of {@code type}'s constants (any case), if given. */
    static <E extends Enum<E>> Optional<E> enumValue(Context ctx, String name, Class<E> type) {
        return text(ctx, name).map(t -> enumOf(name, t, type));
    }

    /** {@code text} as one of {@code type}'s constants (any case), or a 400 naming {@code field}. */
    public static <E extends Enum<E>> E enumOf(String field, String text, Class<E> type) {
        try {
            return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiError.badField(field, "unknown " + field + " '" + text + "'; it is one of "
                    + Arrays.toString(type.getEnumConstants())).raise();
        }
    }
}
