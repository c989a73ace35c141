package dev.drydock.server;

import io.javalin.http.Context;

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
}
