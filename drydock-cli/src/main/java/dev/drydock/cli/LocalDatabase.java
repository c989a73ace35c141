package dev.drydock.cli;

import dev.drydock.embedded.Endpoint;
import dev.drydock.embedded.LocalPostgres;
import dev.drydock.embedded.TemporaryPostgres;
import dev.drydock.embedded.UnsafeDirectoryException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The database a command uses: {@code --db}, else {@code DRYDOCK_DB_URL}, else the private PostgreSQL
 * kept under {@code DRYDOCK_HOME} (default {@code ~/.drydock}, see {@link LocalPostgres}) that every
 * drydock command of this user shares. The first command that needs it starts it, and it keeps
 * running after that command ends (a taskmaster started later must not lose its database) until
 * {@code drydock-control db stop}. Its credentials travel apart from the URL, so printing the URL
 * never shows the password.
 */
public final class LocalDatabase implements AutoCloseable {
    private final String url;
    private final Optional<Endpoint> credentials;
    private final Optional<TemporaryPostgres> temporary;

    private LocalDatabase(String url, Optional<Endpoint> credentials, Optional<TemporaryPostgres> temporary) {
        this.url = url;
        this.credentials = credentials;
        this.temporary = temporary;
    }

    /**
     * @param given the database named by {@code --db} or {@code DRYDOCK_DB_URL} ({@link #external}), if any
     * @param notice told what the user should know about the local database (an insecure old one moved aside)
     */
    static LocalDatabase resolve(Optional<String> given, Path home, Consumer<String> notice) {
        if (given.isPresent()) {
            if (!given.get().startsWith("jdbc:postgresql:")) {
                throw new BadInput("--db / DRYDOCK_DB_URL must be a PostgreSQL JDBC URL (jdbc:postgresql://HOST:PORT/DB?user=U&password=P)");
            }
            return new LocalDatabase(given.get(), Optional.empty(), Optional.empty());
        }
        Endpoint endpoint = local(home).ensureRunning(notice);
        return new LocalDatabase(endpoint.jdbcUrl(), Optional.of(endpoint), Optional.empty());
    }

    /** The database named by {@code --db} or {@code environment}'s {@code DRYDOCK_DB_URL}, if any. */
    static Optional<String> external(Optional<String> flag, Map<String, String> environment) {
        return flag.or(() -> Optional.ofNullable(environment.get("DRYDOCK_DB_URL")).filter(s -> !s.isBlank()));
    }

    /** A fresh throw-away server, for {@code demo} when nothing is configured; stopped by {@link #close()}. */
    static LocalDatabase temporary(Path home) {
        TemporaryPostgres server = TemporaryPostgres.start(home, Map.of());
        return new LocalDatabase(server.endpoint().jdbcUrl(), Optional.of(server.endpoint()), Optional.of(server));
    }

    /**
     * The server under DRYDOCK_HOME ({@code home}).
     *
     * @throws BadInput if DRYDOCK_HOME belongs to another user or others may write to it
     */
    public static LocalPostgres local(Path home) {
        try {
            return LocalPostgres.in(home);
        } catch (UnsafeDirectoryException e) {
            throw new BadInput(e.getMessage());
        }
    }

    String url() {
        return url;
    }

    /** User and password to connect with, when they are not in {@link #url()}. */
    Optional<Endpoint> credentials() {
        return credentials;
    }

    @Override
    public void close() {
        temporary.ifPresent(TemporaryPostgres::close);
    }
}
