package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When the database refuses the server's own login (its password was changed under it), every
 * request is answered 503 "unavailable" with what to check, as during an outage: the installation
 * must be fixed, not the request. The message quotes no SQL and names no library class.
 */
@ExtendWith(PostgresExtension.class)
class RefusedLoginTest {
    private static final String ROLE = "drydock_refused_login";

    @Test
    void aRefusedLoginIsAnOutageForTheCaller(TestDatabase db) {
        Drydock.builder(db.dataSource()).build().close(); // migrates: the role is given the tables that exist
        db.execute("CREATE ROLE " + ROLE + " LOGIN PASSWORD 'first-password'");
        try {
            db.execute("GRANT USAGE ON SCHEMA public TO " + ROLE + ";"
                    + " GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + ROLE + ";"
                    + " GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO " + ROLE);
            try (HikariDataSource pool = pool(db); Drydock drydock = Drydock.builder(pool).build();
                 DrydockServer server = DrydockServer.builder(drydock).port(0).build().start()) {
                ApiClient api = new ApiClient(server.uri());
                String reader = drydock.apiTokens().create("reader", TokenScope.READ).secret();
                assertThat(api.get(reader, "/v1/leases").status()).isEqualTo(200);

                db.execute("ALTER ROLE " + ROLE + " PASSWORD 'changed-by-someone-else'");
                pool.getHikariPoolMXBean().softEvictConnections();
                ApiClient.Answer refused = api.get(reader, "/v1/leases");

                assertThat(refused.status()).as(refused.json().toString()).isEqualTo(503);
                assertThat(refused.error()).isEqualTo("unavailable");
                assertThat(refused.message()).contains("refused the login").contains("check the user and password")
                        .doesNotContain("SELECT", "Exception", "org.postgresql", "hikari");
            }
        } finally {
            db.execute("DROP OWNED BY " + ROLE + "; DROP ROLE " + ROLE);
        }
    }

    private static HikariDataSource pool(TestDatabase db) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(db.jdbcUrl());
        config.setUsername(ROLE);
        config.setPassword("first-password");
        config.setMaximumPoolSize(4);
        // connections only on demand: one the pool added in the background with the old password
        // after the eviction would answer the request
        config.setMinimumIdle(0);
        config.setConnectionTimeout(2_000);
        return new HikariDataSource(config);
    }
}
