package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon serving the HTTP API, as a user starts it: {@code token create} prints a secret once,
 * {@code drydock-taskmaster --http 127.0.0.1:0} says where it listens, and with the token a lease
 * is acquired and watched to ACTIVE over HTTP; without it, 401. {@code token list} never shows a
 * secret, and a revoked token stops working at once.
 */
@ExtendWith(PostgresExtension.class)
class HttpDaemonTest {
    private static final Pattern LISTENING = Pattern.compile("HTTP API at (http://127\\.0\\.0\\.1:\\d+)");

    @TempDir
    Path root;
    @TempDir
    Path temp;

    @Test
    void aTokenFromTheCliOpensTheDaemonsApi(TestDatabase db) throws Exception {
        Cli cli = new Cli(db, temp);
        assertThat(cli.run("blueprint", "create", "--type", "local-host", "--name", "hosts", "--set", "root=" + root, "--set", "capacity=2",
                "--limit", "1").exitCode()).isZero();
        Cli.Result created = cli.run("token", "create", "--name", "ci", "--scope", "lease");
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String secret = created.stdout().strip();
        assertThat(secret).startsWith("ddt_");
        assertThat(created.stderr()).contains("shown only now");
        assertThat(cli.run("token", "list").stdout()).contains("ci").contains("lease").doesNotContain(secret);
        assertThat(cli.run("token", "create", "--name", "ci2", "--scope", "root").exitCode()).as("bad scope").isEqualTo(2);

        Path log = Files.createTempFile(temp, "http-daemon", ".log");
        Process daemon = cli.daemon(log, "--http", "127.0.0.1:0");
        try {
            Await.until("the daemon says where it listens", Duration.ofSeconds(60), () -> LISTENING.matcher(read(log)).find());
            Matcher m = LISTENING.matcher(Files.readString(log));
            assertThat(m.find()).isTrue();
            URI base = URI.create(m.group(1));
            HttpClient http = HttpClient.newHttpClient();

            assertThat(send(http, base, "/v1/status", null, null).statusCode()).isEqualTo(401);
            assertThat(send(http, base, "/healthz", null, null).statusCode()).isEqualTo(200);
            HttpResponse<String> acquired = send(http, base, "/v1/leases", secret, "{\"type\": \"host\"}");
            assertThat(acquired.statusCode()).as(acquired.body()).isEqualTo(201);
            long id = Cli.jsonLong(acquired.body(), "id");
            Await.until("the lease is active", Duration.ofSeconds(60),
                    () -> send(http, base, "/v1/leases/" + id + "?wait=10s&seen=PENDING", secret, null).body().contains("\"status\":\"ACTIVE\""));
            assertThat(send(http, base, "/v1/leases/" + id + "/release", secret, "").statusCode()).isEqualTo(202);

            assertThat(cli.run("token", "revoke", "ci").exitCode()).isZero();
            assertThat(send(http, base, "/v1/status", secret, null).statusCode()).as("revoked").isEqualTo(401);
            assertThat(cli.run("token", "revoke", "ci").exitCode()).as("nothing left to revoke").isEqualTo(2);
        } finally {
            daemon.destroy();
            daemon.waitFor();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (java.io.IOException e) {
            return ""; // not written yet
        }
    }

    private static HttpResponse<String> send(HttpClient http, URI base, String path, String token, String postBody) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (postBody != null) {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(postBody));
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
