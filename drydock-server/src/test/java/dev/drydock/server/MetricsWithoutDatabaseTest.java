package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import dev.drydock.testing.Await;
import dev.drydock.testing.RestartablePostgres;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * With the database stopped, a scrape still answers 200 with {@code drydock_up 0} and without the
 * database's series (absent, not stale), for a token the database confirmed before it stopped; a
 * token it never confirmed gets the outage's 503. Once the database is back, so is {@code drydock_up 1}.
 */
class MetricsWithoutDatabaseTest {
    @Test
    void aScrapeSaysTheDatabaseIsDownInsteadOfFailing() {
        try (RestartablePostgres postgres = new RestartablePostgres(); HikariDataSource pool = postgres.pool();
             Drydock drydock = Drydock.builder(pool).build();
             DrydockServer server = DrydockServer.builder(drydock).port(0).build().start()) {
            ApiClient api = new ApiClient(server.uri());
            String scraper = drydock.apiTokens().create("scraper", TokenScope.READ).secret();
            String unseen = drydock.apiTokens().create("unseen", TokenScope.READ).secret();
            PrometheusText up = scrape(api, scraper);
            assertThat(up.value("drydock_up", Map.of())).contains(1.0);
            assertThat(up.value("drydock_leases", Map.of("status", "ACTIVE"))).contains(0.0);

            postgres.stop();
            PrometheusText down = scrape(api, scraper);
            assertThat(down.value("drydock_up", Map.of())).contains(0.0);
            assertThat(down.named("drydock_leases")).as("no stale values while the database cannot be read").isEmpty();
            ApiClient.Answer refused = api.get(unseen, "/metrics");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.error()).isEqualTo("unavailable");

            postgres.start();
            Await.until("drydock_up 1 again", Duration.ofSeconds(30),
                    () -> scrape(api, scraper).value("drydock_up", Map.of()).orElse(0.0) == 1.0);
        }
    }

    private static PrometheusText scrape(ApiClient api, String token) {
        HttpResponse<String> answer = api.text(token, "/metrics");
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        return PrometheusText.parse(answer.body());
    }
}
