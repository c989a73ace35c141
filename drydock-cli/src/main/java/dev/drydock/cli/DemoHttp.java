package dev.drydock.cli;

import dev.drydock.api.DrydockException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** The sandcastle demo's side of HTTP, and its tests': ports nothing listens on yet, and fetching a page. */
public final class DemoHttp {
    public static final String ADDRESS = "127.0.0.1";
    private static final int DEFAULT_FIRST = 8100;
    private static final int DEFAULT_LAST = 8199;

    private DemoHttp() {}

    /** {@code FIRST-LAST} of {@code count} consecutive ports free now: within the webroot default 8100-8199 if it can, else any. */
    public static String freePorts(int count) {
        for (int first = DEFAULT_FIRST; first + count - 1 <= DEFAULT_LAST; first++) {
            if (allFree(first, count)) {
                return first + "-" + (first + count - 1);
            }
        }
        for (int attempt = 0; attempt < 100; attempt++) {
            int first = 20_000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(30_000);
            if (allFree(first, count)) {
                return first + "-" + (first + count - 1);
            }
        }
        throw new DrydockException("found no " + count + " consecutive free ports on " + ADDRESS + ": stop some servers and run it again");
    }

    /** What the user should know when {@link #freePorts} had to leave the webroot's default range. */
    public static String unlessDefault(String ports) {
        return Integer.parseInt(ports.substring(0, ports.indexOf('-'))) <= DEFAULT_LAST ? ""
                : " (ports " + DEFAULT_FIRST + "-" + DEFAULT_LAST + ", the default, are busy)";
    }

    private static boolean allFree(int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(ADDRESS))) {
                socket.setReuseAddress(true);
            } catch (IOException busy) {
                return false;
            }
        }
        return true;
    }

    /** The body of {@code uri}, which must answer 200. */
    public static String get(URI uri) {
        try (HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new DrydockException("GET " + uri + " answered HTTP " + response.statusCode() + " instead of 200");
            }
            return response.body();
        } catch (IOException e) {
            throw new DrydockException("GET " + uri + " failed: " + java.util.Objects.toString(e.getMessage(), "no connection"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DrydockException("interrupted while fetching " + uri);
        }
    }
}
