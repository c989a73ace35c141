package dev.drydock.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;

/** Writes a document as the JSON answer. */
final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    static void send(Context ctx, Object document) {
        try {
            ctx.contentType("application/json").result(MAPPER.writeValueAsString(document));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a document of maps, lists and strings always serializes", e);
        }
    }
}
