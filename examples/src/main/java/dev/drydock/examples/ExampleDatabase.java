package dev.drydock.examples;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.embedded.Endpoint;
import dev.drydock.embedded.LocalPostgres;
import dev.drydock.embedded.TemporaryPostgres;
import java.util.Map;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * The database an example runs on: the PostgreSQL named by {@code DRYDOCK_DB_URL}
 * ({@code jdbc:postgresql://HOST:PORT/DB?user=U&password=P}) if set, else a private server for the
 * run, deleted when it ends.
 */
final class ExampleDatabase {
    private ExampleDatabase() {}

    static void use(Consumer<DataSource> example) {
        String url = System.getenv("DRYDOCK_DB_URL");
        if (url != null && !url.isBlank()) {
            try (HikariDataSource dataSource = new HikariDataSource()) {
                dataSource.setJdbcUrl(url);
                example.accept(dataSource);
            }
            return;
        }
        // Binaries kept in DRYDOCK_HOME (default ~/.drydock) like the CLI's, logins with a password on
        // 127.0.0.1 only, as a role that is no superuser.
        try (TemporaryPostgres postgres = TemporaryPostgres.start(LocalPostgres.defaultHome(), Map.of());
             HikariDataSource dataSource = new HikariDataSource()) {
            Endpoint endpoint = postgres.endpoint();
            dataSource.setJdbcUrl(endpoint.jdbcUrl());
            dataSource.setUsername(endpoint.user());
            dataSource.setPassword(endpoint.password());
            example.accept(dataSource);
        }
    }
}
