package dev.drydock.benchmarks;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/** Logs in to the console as a browser does (the login form), for the cookie its pages then need. */
final class ConsoleLogin {
    private ConsoleLogin() {}

    static String cookie(HttpClient http, URI base, String token) throws Exception {
        HttpRequest login = HttpRequest.newBuilder(base.resolve("/ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Origin", base.toString())
                .POST(HttpRequest.BodyPublishers.ofString("token=" + URLEncoder.encode(token, StandardCharsets.UTF_8)))
                .build();
        HttpResponse<String> response = http.send(login, HttpResponse.BodyHandlers.ofString());
        return response.headers().allValues("Set-Cookie").stream().map(c -> c.split(";", 2)[0]).findFirst()
                .orElseThrow(() -> new IllegalStateException("the console's login set no cookie (HTTP " + response.statusCode() + ")"));
    }
}
