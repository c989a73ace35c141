package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Stopping the server while clients follow the history (the API's and the console's Server-Sent
 * Events) or wait on a lease (a long-poll) ends each follower first, so the server stops quietly: no error about answers that no
 * longer exist, and nothing left spinning after it.
 */
@ExtendWith(PostgresExtension.class)
class ServerStopTest {
    @Test
    void followersEndBeforeTheServerStopsAndNothingIsLogged(TestDatabase db) throws Exception {
        LoggedWarnings logged = new LoggedWarnings();
        try (ServedDrydock served = new ServedDrydock(db)) {
            HttpResponse<Stream<String>> first = served.api.lines(served.reader,
                    served.api.request("/v1/logs/follow").header("Accept", "text/event-stream"));
            HttpResponse<Stream<String>> second = served.api.lines(served.reader,
                    served.api.request("/v1/logs/follow?after=1").header("Accept", "text/event-stream"));
            assertThat(first.statusCode()).isEqualTo(200);
            assertThat(second.statusCode()).isEqualTo(200);
            served.api.post(served.admin, "/v1/blueprints", "{\"name\": \"one\", \"type\": \"local-host\", \"limit\": 1, \"config\": "
                    + served.hostsConfig("one", 1) + "}");
            served.api.post(served.leaser, "/v1/leases", "{\"type\": \"host\"}");
            long waiting = served.api.post(served.leaser, "/v1/leases", "{\"type\": \"host\"}").json().path("id").asLong();
            java.util.concurrent.CompletableFuture<Integer> longPoll = java.util.concurrent.CompletableFuture.supplyAsync(
                    () -> served.api.get(served.reader, "/v1/leases/" + waiting + "?wait=50s&seen=PENDING").status());
            Thread.sleep(500); // the long-poll is waiting in the server
            long started = System.nanoTime();
            served.server.close();
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopping waits for followers only briefly")
                    .isLessThan(Duration.ofSeconds(10));
            for (HttpResponse<Stream<String>> follower : java.util.List.of(first, second)) {
                Iterator<String> lines = follower.body().iterator();
                while (lines.hasNext()) {
                    lines.next(); // the stream ends: the server closed it
                }
                follower.body().close();
            }
            longPoll.handle((status, failure) -> null).get(60, java.util.concurrent.TimeUnit.SECONDS); // answered or cut off, not hanging
            Thread.sleep(1000); // anything still running after the stop would log by now
        } finally {
            logged.close();
        }
        assertThat(logged.list()).as("warnings and errors while and after stopping").isEmpty();
    }
}
