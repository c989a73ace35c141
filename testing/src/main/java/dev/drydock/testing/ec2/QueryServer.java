package dev.drydock.testing.ec2;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The HTTP side of the fake: POSTed forms (what the SDK sends) and GET query strings, on 127.0.0.1 only.
 * SigV4 signatures are accepted unchecked; the fake trusts whatever credentials a test configured.
 */
final class QueryServer implements AutoCloseable {
    private static final String LOOPBACK = "127.0.0.1";

    private final HttpServer server;
    private final ExecutorService executor;
    private final Ec2Api api;

    private QueryServer(HttpServer server, ExecutorService executor, Ec2Api api) {
        this.server = server;
        this.executor = executor;
        this.api = api;
    }

    static QueryServer start(Ec2Api api) {
        ExecutorService executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fake-ec2-http-", 0).factory());
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(LOOPBACK), 0), 0);
            QueryServer query = new QueryServer(server, executor, api);
            server.createContext("/", query::exchange);
            server.setExecutor(executor);
            server.start();
            return query;
        } catch (IOException e) {
            executor.shutdownNow();
            throw new UncheckedIOException("could not listen on " + LOOPBACK, e);
        }
    }

    URI endpoint() {
        return URI.create("http://" + LOOPBACK + ":" + server.getAddress().getPort());
    }

    private void exchange(HttpExchange exchange) throws IOException {
        try (exchange) {
            String query = exchange.getRequestURI().getRawQuery();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String form = (query == null ? "" : query) + "&" + body;
            Ec2Api.Reply reply = api.handle(QueryParams.parse(form));
            byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
            exchange.getResponseHeaders().set("x-amzn-RequestId", reply.requestId());
            exchange.sendResponseHeaders(reply.status(), bytes.length);
            exchange.getResponseBody().write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
