package dev.drydock.blueprint.webroot;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Optional;

/**
 * Asks a site over HTTP/1.1 whether it answers {@code 200} to {@code GET}, with short timeouts so a
 * check never hangs. Holds one client; close it when done. Thread-safe.
 */
final class ReadinessProbe implements AutoCloseable {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();

    /** Empty when {@code GET uri} answers 200; else what happened ("answered 404", "refused the connection", "timed out"). */
    Optional<String> problem(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT).GET().build();
        try {
            int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            return status == 200 ? Optional.empty() : Optional.of("answered " + status);
        } catch (HttpTimeoutException e) {
            return Optional.of("timed out");
        } catch (ConnectException e) {
            return Optional.of("refused the connection");
        } catch (IOException e) {
            return Optional.of("failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("was interrupted");
        }
    }

    @Override
    public void close() {
        client.close();
    }
}
