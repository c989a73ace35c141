package dev.drydock.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An API error as the client reads it: {@code {"error": CODE, "message": TEXT, "field": NAME}}, with
 * the HTTP status it goes with. The message says what was wrong and what to do, never a class name,
 * SQL or a secret.
 *
 * @param status  the HTTP status
 * @param error   a stable code for programs: {@code bad_request}, {@code unauthorized},
 *                {@code forbidden}, {@code not_found}, {@code unavailable}, {@code internal}
 * @param field   the request field that was wrong, for a 400 about one
 */
record ApiError(int status, String error, String message, Optional<String> field) {
    static ApiError badRequest(String message) {
        return new ApiError(400, "bad_request", message, Optional.empty());
    }

    static ApiError badField(String field, String message) {
        return new ApiError(400, "bad_request", message, Optional.of(field));
    }

    static ApiError unauthorized(String message) {
        return new ApiError(401, "unauthorized", message, Optional.empty());
    }

    static ApiError forbidden(String message) {
        return new ApiError(403, "forbidden", message, Optional.empty());
    }

    static ApiError notFound(String message) {
        return new ApiError(404, "not_found", message, Optional.empty());
    }

    Map<String, Object> document() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("message", message);
        field.ifPresent(f -> m.put("field", f));
        return m;
    }

    /** Thrown by a handler to answer with this error. */
    static final class Raised extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final transient ApiError error;

        Raised(ApiError error) {
            super(error.message(), null, false, false);
            this.error = error;
        }

        ApiError error() {
            return error;
        }
    }

    Raised raise() {
        return new Raised(this);
    }
}
