package dev.drydock.blueprint.webroot;

import dev.drydock.api.InvalidRequestException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Which HTTP server a webroot asks for: the best one found, or exactly one. */
enum ServerPreference {
    AUTO(Optional.empty()),
    NGINX(Optional.of(ServerKind.NGINX)),
    BUSYBOX(Optional.of(ServerKind.BUSYBOX)),
    PYTHON(Optional.of(ServerKind.PYTHON));

    private final Optional<ServerKind> kind;

    ServerPreference(Optional<ServerKind> kind) {
        this.kind = kind;
    }

    /** The preference for exactly {@code kind}. */
    static ServerPreference of(ServerKind kind) {
        return Arrays.stream(values()).filter(p -> p.kind.equals(Optional.of(kind))).findFirst().orElseThrow();
    }

    /** The one server asked for; empty for {@link #AUTO}. */
    Optional<ServerKind> kind() {
        return kind;
    }

    /** The configuration's text for this preference: {@code auto}, {@code nginx}, {@code busybox} or {@code python}. */
    String text() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses the configuration's text, ignoring case and surrounding blanks.
     *
     * @throws InvalidRequestException on {@code field} for anything else, listing what is allowed
     */
    static ServerPreference parse(String field, String text) {
        String wanted = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(p -> p.text().equals(wanted)).findFirst()
                .orElseThrow(() -> new InvalidRequestException(field, "must be one of "
                        + Arrays.stream(values()).map(ServerPreference::text).collect(Collectors.joining(", "))
                        + " (default auto), was '" + text + "'"));
    }
}
