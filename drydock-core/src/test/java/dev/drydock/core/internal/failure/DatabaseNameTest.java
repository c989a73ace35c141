package dev.drydock.core.internal.failure;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

/** Messages name the database by its URL, and never with a password in it. */
class DatabaseNameTest {

    @Test
    void passwordsAreRemovedWhereverTheUrlCarriesThem() {
        assertThat(DatabaseName.withoutPassword("jdbc:postgresql://db:5432/x?user=u&password=SECRET&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/x?user=u&ssl=true");
        assertThat(DatabaseName.withoutPassword("jdbc:postgresql://db/x?password=SECRET")).isEqualTo("jdbc:postgresql://db/x");
        assertThat(DatabaseName.withoutPassword("jdbc:postgresql://db/x?sslpassword=SECRET&PASSWORD=SECRET&user=u"))
                .isEqualTo("jdbc:postgresql://db/x?user=u");
        assertThat(DatabaseName.withoutPassword("jdbc:postgresql://u:SECRET@db/x")).isEqualTo("jdbc:postgresql://db/x");
    }

    @Test
    void thePoolsUrlIsUsedWithoutConnecting() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://127.0.0.1:1/x?user=u&password=SECRET");
        config.setInitializationFailTimeout(-1);
        try (HikariDataSource pool = new HikariDataSource(config)) {
            assertThat(DatabaseName.of(pool)).isEqualTo("jdbc:postgresql://127.0.0.1:1/x?user=u");
        }
        PGSimpleDataSource plain = new PGSimpleDataSource();
        plain.setURL("jdbc:postgresql://127.0.0.1:1/x");
        plain.setPassword("SECRET");
        assertThat(DatabaseName.of(plain)).startsWith("jdbc:postgresql://127.0.0.1:1/x").doesNotContain("SECRET");
    }
}
