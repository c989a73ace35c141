package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A follow of the history lasts as long as its client wants: an idle one is kept open past the
 * keep-alive interval (a comment every 15 s) and still gets the next entry; and a client that leaves
 * (a closed console tab, a cancelled {@code curl}) is no failure: the server logs nothing and carries on.
 */
@ExtendWith(PostgresExtension.class)
class FollowerTest {
    private static ServedDrydock served;

    @org.junit.jupiter.api.BeforeAll
    static void serve(TestDatabase db) {
        served = new ServedDrydock(db);
        served.api.post(served.admin, "/v1/blueprints", "{\"name\": \"hosts\", \"type\": \"local-host\", \"limit\": 1, \"config\": "
                + served.hostsConfig("hosts", 4) + "}");
    }

    @org.junit.jupiter.api.AfterAll
    static void stop() {
        served.close();
    }
    @Test
    void anIdleFollowerIsKeptOpenWithKeepAlivesAndGetsTheNextEntry() throws Exception {
        {
            long newest = served.api.get(served.reader, "/v1/logs?limit=1000").json().path("last").asLong();
            java.net.http.HttpResponse<java.util.stream.Stream<String>> follow = served.api.lines(served.reader,
                    served.api.request("/v1/logs/follow?after=" + newest).header("Accept", "text/event-stream"));
            java.util.concurrent.BlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
            Thread reader = Thread.ofVirtual().start(() -> follow.body().forEach(lines::add));
            try {
                String keepAlive = lines.poll(25, java.util.concurrent.TimeUnit.SECONDS);
                assertThat(keepAlive).as("a keep-alive comment within 25 s, the stream still open").startsWith(":");
                long lease = served.api.post(served.leaser, "/v1/leases", "{\"type\": \"host\"}").json().path("id").asLong();
                String next = lines.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                while (next != null && !next.startsWith("data:")) {
                    next = lines.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                }
                assertThat(next).as("the entry written after the keep-alive arrives on the same stream").contains("lease " + lease + " requested");
            } finally {
                follow.body().close();
                reader.interrupt();
            }
        }
    }

    @Test
    void aFollowerWhoseClientLeavesEndsWithoutAnError() throws Exception {
        LoggedWarnings logged = new LoggedWarnings();
        try {
            for (int i = 0; i < 5; i++) {
                // a browser leaving the page drops the connection: a raw socket closed as it does
                try (java.net.Socket socket = new java.net.Socket(served.server.uri().getHost(), served.server.uri().getPort())) {
                    socket.getOutputStream().write(("GET /v1/logs/follow HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
                            + "Authorization: Bearer " + served.reader + "\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                    socket.getOutputStream().flush();
                    String status = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                            java.nio.charset.StandardCharsets.US_ASCII)).readLine();
                    assertThat(status).isEqualTo("HTTP/1.1 200 OK");
                    socket.setSoLinger(true, 0); // closed at once, with a reset, not a polite end
                }
            }
            Thread.sleep(2000); // followers notice at their next write or keep-alive; anything they log, they log by now
            assertThat(served.api.get(served.reader, "/v1/status").status()).as("the server carries on").isEqualTo(200);
        } finally {
            logged.close();
        }
        assertThat(logged.list()).as("warnings and errors").isEmpty();
    }
}
