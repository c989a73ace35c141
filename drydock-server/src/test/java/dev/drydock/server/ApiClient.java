package dev.drydock.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The API as a client sees it: the JDK's HTTP client on the wire, a token or none. */
final class ApiClient {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    ApiClient(URI base) {
        this.base = base;
    }

    /** An answer: its status, its JSON and its headers. */
    record Answer(int status, JsonNode json, HttpResponse<byte[]> response) {
        String error() {
            return json.path("error").asText();
        }

        String message() {
            return json.path("message").asText();
        }
    }

    Answer get(String token, String path) {
        return send(token, HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    Answer put(String token, String path, String body) {
        return send(token, HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A stream of lines, for Server-Sent Events; the caller closes it. */
    java.util.stream.Stream<String> lines(String token, String path, String lastEventId) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).header("Authorization", "Bearer " + token)
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        return exchange(request, HttpResponse.BodyHandlers.ofLines()).body();
    }

    /** The raw answer to a request with a token, its body as bytes. */
    HttpResponse<byte[]> bytes(String token, HttpRequest.Builder request) {
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return exchange(request.timeout(Duration.ofSeconds(90)), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A request to {@code path} of this server, to finish and send with {@link #bytes} or {@link #lines}. */
    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path));
    }

    /** The answer's lines as they come; the caller closes the stream. */
    HttpResponse<java.util.stream.Stream<String>> lines(String token, HttpRequest.Builder request) {
        return exchange(request.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(90)), HttpResponse.BodyHandlers.ofLines());
    }

    private <T> HttpResponse<T> exchange(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Parses one line of JSON. */
    static JsonNode json(String text) {
        try {
            return MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Answer post(String token, String path, String body) {
        return send(token, HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** A GET whose answer is not JSON (such as /metrics), as it came. */
    HttpResponse<String> text(String token, String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).GET();
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return exchange(request.timeout(Duration.ofSeconds(90)), HttpResponse.BodyHandlers.ofString());
    }

    private Answer send(String token, HttpRequest.Builder request) {
        HttpResponse<byte[]> response = bytes(token, request);
        String text = new String(response.body(), java.nio.charset.StandardCharsets.UTF_8);
        return new Answer(response.statusCode(), text.isEmpty() ? MAPPER.nullNode() : json(text), response);
    }
}
