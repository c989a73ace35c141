package dev.drydock.embedded;

import java.util.Objects;

/**
 * Where and as whom to connect to a private server: always 127.0.0.1, always with a password.
 * {@link #toString()} and {@link #jdbcUrl()} never contain the password.
 */
public record Endpoint(int port, String database, String user, String password) {
    public Endpoint {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(password, "password");
    }

    /** The JDBC URL without credentials: pass {@link #user()} and {@link #password()} separately. */
    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    @Override
    public String toString() {
        return jdbcUrl() + " as " + user;
    }
}
