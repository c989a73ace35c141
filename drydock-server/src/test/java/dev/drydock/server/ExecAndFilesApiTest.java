package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drydock.core.TokenScope;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Using a lease over HTTP, on a real local-host resource: exec streams a command's output as it
 * comes and ends with its exit code (a timeout and an output cap kill it), files go up and down
 * byte for byte and are refused over the size cap (413) or outside the lease's directory (400)
 * with nothing written; only the holder or an admin token may use a lease (403), and only an
 * ACTIVE one (409).
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ExecAndFilesApiTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int SMALL_OUTPUT = 1000;
    private static final int SMALL_UPLOAD = 1 << 20;
    private static ServedDrydock fx;
    private static DrydockServer small;
    private static ApiClient api;
    private static ApiClient smallApi;
    private static String holder;
    private static String other;
    private static long lease;

    @BeforeAll
    static void start(TestDatabase database) {
        fx = new ServedDrydock(database);
        api = fx.api;
        holder = fx.leaser;
        other = fx.drydock.apiTokens().create("other", TokenScope.LEASE).secret();
        small = DrydockServer.builder(fx.drydock).port(0).maxExecOutput(SMALL_OUTPUT).maxUpload(SMALL_UPLOAD).build().start();
        smallApi = new ApiClient(small.uri());
        fx.drydock.blueprints().create("work", "local-host", fx.hostsConfig("work", 4), 1);
        lease = activeLease();
    }

    @AfterAll
    static void stop() {
        small.close();
        fx.close();
    }

    @Test
    void execStreamsOutputAndEndsWithTheExitCode() {
        List<JsonNode> lines = exec(api, holder, lease, "{\"argv\": [\"sh\", \"-c\", \"echo out; echo err >&2; exit 3\"]}");
        assertThat(text(lines, "stdout")).isEqualTo("out\n");
        assertThat(text(lines, "stderr")).isEqualTo("err\n");
        assertThat(lines.getLast().path("exit").asInt()).isEqualTo(3);
        assertThat(lines.getLast().path("timedOut").asBoolean()).isFalse();

        List<JsonNode> literal = exec(api, holder, lease, "{\"argv\": [\"echo\", \"$HOME;\", \"ls\"], \"env\": {\"X\": \"y\"}}");
        assertThat(text(literal, "stdout")).as("argv, never a shell").isEqualTo("$HOME; ls\n");
        assertThat(literal.getLast().path("exit").asInt()).isZero();
        assertThat(text(exec(api, holder, lease, "{\"argv\": [\"cat\"], \"stdin\": \"héllo\"}"), "stdout")).isEqualTo("héllo");
    }

    @Test
    void outputArrivesWhileTheCommandStillRuns() {
        String body = "{\"argv\": [\"sh\", \"-c\", \"echo ready; while [ ! -e go ]; do sleep 0.05; done; echo done\"], \"timeout\": \"60s\"}";
        HttpResponse<Stream<String>> answer = api.lines(holder, api.request("/v1/leases/" + lease + "/exec")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/x-ndjson"));
        try (Stream<String> stream = answer.body()) {
            Iterator<String> lines = stream.iterator();
            assertThat(ApiClient.json(lines.next()).path("data").asText()).as("sent before the command ends").isEqualTo("ready\n");
            // the command ends only once this file exists: the first line came while it ran
            assertThat(put(api, holder, lease, "go", new byte[0]).statusCode()).isEqualTo(200);
            List<JsonNode> rest = new ArrayList<>();
            lines.forEachRemaining(l -> rest.add(ApiClient.json(l)));
            assertThat(text(rest, "stdout")).isEqualTo("done\n");
            assertThat(rest.getLast().path("exit").asInt()).isZero();
        }
    }

    @Test
    void aTimeoutAndTheOutputCapKillTheCommand() {
        List<JsonNode> slow = exec(api, holder, lease, "{\"argv\": [\"sleep\", \"60\"], \"timeout\": \"1s\"}");
        assertThat(slow.getLast().path("timedOut").asBoolean()).isTrue();

        // yes never ends by itself: only the cap ends it
        List<JsonNode> endless = exec(smallApi, holder, lease, "{\"argv\": [\"yes\"]}");
        assertThat(text(endless, "stdout")).hasSize(SMALL_OUTPUT).startsWith("y\ny\n");
        assertThat(endless.getLast().path("outputLimited").asBoolean()).isTrue();
        assertThat(endless.getLast().path("exit").isNull()).isTrue();
        assertThat(endless.getLast().path("message").asText()).contains("passed " + SMALL_OUTPUT + " bytes").contains("killed");
    }

    @Test
    void aFileGoesUpAndComesBackByteForByte() {
        byte[] content = new byte[3 * 1024 * 1024 + 17];
        new Random(23).nextBytes(content);
        HttpResponse<byte[]> written = put(api, holder, lease, "sub/dir/blob.bin", content);
        assertThat(written.statusCode()).as(new String(written.body())).isEqualTo(200);
        assertThat(ApiClient.json(new String(written.body())).path("size").asLong()).isEqualTo(content.length);

        HttpResponse<byte[]> read = get(api, holder, lease, "sub/dir/blob.bin");
        assertThat(read.statusCode()).isEqualTo(200);
        assertThat(read.headers().firstValueAsLong("Content-Length")).hasValue(content.length);
        assertThat(read.body()).isEqualTo(content);
        assertThat(get(api, holder, lease, "sub/nothing-here").statusCode()).isEqualTo(404);
    }

    @Test
    void aBodyOverTheCapIs413AndWritesNothing() {
        HttpResponse<byte[]> tooLarge = put(smallApi, holder, lease, "big.bin", new byte[SMALL_UPLOAD + 1]);
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(ApiClient.json(new String(tooLarge.body())).path("message").asText()).contains("larger than " + SMALL_UPLOAD + " bytes");
        assertThat(get(api, holder, lease, "big.bin").statusCode()).as("not written").isEqualTo(404);

        assertThat(put(api, holder, lease, "kept.txt", "old".getBytes()).statusCode()).isEqualTo(200);
        // no Content-Length: found too large only while it streams in
        HttpResponse<byte[]> streamed = smallApi.bytes(holder, smallApi.request("/v1/leases/" + lease + "/files?path=kept.txt")
                .PUT(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[2 * SMALL_UPLOAD]))));
        assertThat(streamed.statusCode()).isEqualTo(413);
        assertThat(get(api, holder, lease, "kept.txt").body()).as("the old file as it was").isEqualTo("old".getBytes());

        ApiClient.Answer bigStdin = api.post(holder, "/v1/leases/" + lease + "/exec",
                "{\"argv\": [\"tee\", \"from-stdin\"], \"stdin\": \"" + "x".repeat(1_100_000) + "\"}");
        assertThat(bigStdin.status()).isEqualTo(413);
        assertThat(bigStdin.message()).contains("send large input as a file");
        assertThat(get(api, holder, lease, "from-stdin").statusCode()).as("nothing ran").isEqualTo(404);
    }

    @Test
    void pathsOutsideTheLeaseAndBadInputAre400() {
        for (String path : List.of("../escape.txt", "/tmp/escape.txt", "a/../../escape.txt")) {
            HttpResponse<byte[]> refused = put(api, holder, lease, path, "x".getBytes());
            assertThat(refused.statusCode()).as(path).isEqualTo(400);
            assertThat(ApiClient.json(new String(refused.body())).path("field").asText()).isEqualTo("path");
            assertThat(get(api, holder, lease, path).statusCode()).as(path).isEqualTo(400);
        }
        assertThat(fx.root.resolve("work").resolve("escape.txt")).doesNotExist();
        assertThat(api.put(holder, "/v1/leases/" + lease + "/files", "x").json().path("field").asText()).isEqualTo("path");

        record Case(String body, String field) {}
        for (Case c : List.of(new Case("{}", "argv"), new Case("{\"argv\": []}", "argv"), new Case("{\"argv\": \"ls -l\"}", "argv"),
                new Case("{\"argv\": [\"true\"], \"timeout\": \"2h\"}", "timeout"), new Case("{\"argv\": [\"true\"], \"shell\": true}", "shell"),
                new Case("{\"argv\": [\"no-such-program-here\"]}", "argv"))) {
            ApiClient.Answer answer = api.post(holder, "/v1/leases/" + lease + "/exec", c.body());
            assertThat(answer.status()).as(c.body() + " -> " + answer.json()).isEqualTo(400);
            assertThat(answer.json().path("field").asText()).as(c.body()).isEqualTo(c.field());
        }
    }

    @Test
    void onlyTheHolderOrAnAdminUsesALease() {
        String exec = "/v1/leases/" + lease + "/exec";
        ApiClient.Answer byReader = api.post(fx.reader, exec, "{\"argv\": [\"touch\", \"by-reader\"]}");
        assertThat(byReader.status()).isEqualTo(403);
        ApiClient.Answer byOther = api.post(other, exec, "{\"argv\": [\"touch\", \"by-other\"]}");
        assertThat(byOther.status()).isEqualTo(403);
        assertThat(byOther.message()).contains("was not acquired with token other");
        assertThat(put(api, other, lease, "by-other", "x".getBytes()).statusCode()).isEqualTo(403);
        assertThat(get(api, other, lease, "kept-by-holder").statusCode()).isEqualTo(403);
        assertThat(get(api, holder, lease, "by-other").statusCode()).as("nothing was written").isEqualTo(404);
        assertThat(get(api, holder, lease, "by-reader").statusCode()).as("nothing was run").isEqualTo(404);

        List<JsonNode> byAdmin = exec(api, fx.admin, lease, "{\"argv\": [\"echo\", \"admin\"]}");
        assertThat(text(byAdmin, "stdout")).isEqualTo("admin\n");
        assertThat(put(api, fx.admin, lease, "by-admin", "x".getBytes()).statusCode()).isEqualTo(200);
        assertThat(get(api, fx.admin, lease, "by-admin").body()).isEqualTo("x".getBytes());
    }

    @Test
    void aLeaseThatIsNotActiveIs409() {
        long released = activeLease();
        assertThat(api.post(holder, "/v1/leases/" + released + "/release", "").status()).isEqualTo(202);
        ApiClient.Answer refused = api.post(holder, "/v1/leases/" + released + "/exec", "{\"argv\": [\"true\"]}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.message()).containsPattern("is (RELEASED|DESTROYED)").contains("acquire a new lease");
        assertThat(get(api, holder, released, "x").statusCode()).isEqualTo(409);
    }

    private static long activeLease() {
        ApiClient.Answer acquired = api.post(holder, "/v1/leases", "{\"type\": \"host\", \"blueprints\": [\"work\"]}");
        assertThat(acquired.status()).as(acquired.json().toString()).isEqualTo(201);
        long id = acquired.json().path("id").asLong();
        Await.until("lease " + id + " active", WAIT, () -> api.get(holder, "/v1/leases/" + id).json().path("status").asText().equals("ACTIVE"));
        return id;
    }

    private static List<JsonNode> exec(ApiClient client, String token, long leaseId, String body) {
        HttpResponse<byte[]> answer = client.bytes(token, client.request("/v1/leases/" + leaseId + "/exec")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        assertThat(answer.statusCode()).as(new String(answer.body())).isEqualTo(200);
        return new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8).lines().map(ApiClient::json).toList();
    }

    private static String text(List<JsonNode> lines, String stream) {
        StringBuilder text = new StringBuilder();
        lines.stream().filter(l -> l.path("stream").asText().equals(stream)).forEach(l -> text.append(l.path("data").asText()));
        return text.toString();
    }

    private static HttpResponse<byte[]> put(ApiClient client, String token, long leaseId, String path, byte[] content) {
        return client.bytes(token, client.request(files(leaseId, path)).PUT(HttpRequest.BodyPublishers.ofByteArray(content)));
    }

    private static HttpResponse<byte[]> get(ApiClient client, String token, long leaseId, String path) {
        return client.bytes(token, client.request(files(leaseId, path)).GET());
    }

    private static String files(long leaseId, String path) {
        return "/v1/leases/" + leaseId + "/files?path=" + java.net.URLEncoder.encode(path, java.nio.charset.StandardCharsets.UTF_8);
    }
}
