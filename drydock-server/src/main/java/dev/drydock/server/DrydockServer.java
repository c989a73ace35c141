package dev.drydock.server;

import dev.drydock.api.DatabaseFailureException;
import dev.drydock.api.DatabaseUnavailableException;
import dev.drydock.api.DrydockException;
import dev.drydock.api.FileNotFoundInLeaseException;
import dev.drydock.api.InterfaceNotSupportedException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.NotLeaseHolderException;
import dev.drydock.api.PathOutsideRootException;
import dev.drydock.core.ApiToken;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import dev.drydock.core.TokenScopeException;
import dev.drydock.server.console.Console;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.http.HttpResponseException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drydock's HTTP/JSON API over one {@link Drydock}: served by {@code drydock-taskmaster --http} or
 * embedded in an application, with Prometheus metrics at {@code /metrics} (docs/metrics.md). Every route but {@code /healthz} needs a bearer token of the scope
 * it names ({@link dev.drydock.core.ApiTokens}); errors are JSON {@code {error, message, field?}}
 * with the matching status, and a refused request changes nothing. Binds to 127.0.0.1 unless told
 * otherwise: put TLS in front with a reverse proxy (docs/http.md). Thread-safe; {@link #close()}
 * stops it (not the {@code Drydock}).
 */
public final class DrydockServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(DrydockServer.class);
    private final Javalin javalin;
    private final String host;
    private final List<Route> routes;
    private final Console console;
    private final Metrics metrics;
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final LogFollower follower;
    /** Followers notice the stop within a poll (half a second); a database read may hold one a little longer. */
    private static final java.time.Duration FOLLOWERS_END = java.time.Duration.ofSeconds(5);

    private DrydockServer(Builder builder) {
        this.host = builder.host;
        Authentication auth = new Authentication(builder.drydock.apiTokens());
        List<Route> all = new ArrayList<>(new ReadRoutes(builder.drydock).routes());
        all.addAll(new LeaseRoutes(builder.drydock).routes());
        all.addAll(new GangRoutes(builder.drydock).routes());
        all.addAll(new BlueprintRoutes(builder.drydock).routes());
        this.follower = new LogFollower(builder.drydock, stopping::get);
        all.addAll(new LogRoutes(builder.drydock, follower).routes());
        LeaseUse use = new LeaseUse(builder.drydock);
        UseLimits limits = new UseLimits(builder.maxUpload, builder.maxExecOutput, builder.maxExecTimeout);
        all.add(new ExecRoute(use, limits).route());
        all.addAll(new FileRoutes(use, limits).routes());
        all.add(Route.of(HandlerType.GET, "/openapi.json", TokenScope.READ, "This API's OpenAPI 3 document",
                (ctx, token) -> ctx.contentType("application/json").result(OpenApi.text())));
        this.metrics = new Metrics(builder.drydock);
        all.add(Route.of(HandlerType.GET, "/metrics", TokenScope.READ, "Prometheus metrics (text format): state read at each scrape, and this process's work",
                (ctx, token) -> ctx.contentType(Metrics.CONTENT_TYPE).result(metrics.scrape())));
        this.routes = List.copyOf(all);
        this.console = new Console(builder.drydock, follower);
        this.javalin = Javalin.create(config -> configure(config, auth, builder.port));
    }

    public static Builder builder(Drydock drydock) {
        return new Builder(drydock);
    }

    /** Optional settings; {@link #build()} makes a server that is not yet listening. */
    public static final class Builder {
        private final Drydock drydock;
        private String host = "127.0.0.1";
        private int port = 8080;
        private long maxUpload = UseLimits.DEFAULT.maxUpload();
        private long maxExecOutput = UseLimits.DEFAULT.maxExecOutput();
        private java.time.Duration maxExecTimeout = UseLimits.DEFAULT.maxExecTimeout();

        private Builder(Drydock drydock) {
            this.drydock = Objects.requireNonNull(drydock, "drydock");
        }

        /** The address to listen on (default 127.0.0.1: this machine only). */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port (default 8080; 0 for any free one, see {@link DrydockServer#uri()}). */
        public Builder port(int port) {
            if (port < 0 || port > 65_535) {
                throw new InvalidRequestException("port", "must be 0 to 65535, was " + port);
            }
            this.port = port;
            return this;
        }

        /**
         * The largest file {@code PUT /v1/leases/{id}/files} writes (default 1 GiB); a larger body
         * is a 413 and writes nothing. Bodies are streamed to the file, never held in memory.
         */
        public Builder maxUpload(long bytes) {
            this.maxUpload = bytes;
            return this;
        }

        /**
         * The most output {@code POST /v1/leases/{id}/exec} streams back, stdout and stderr together
         * (default 16 MiB); past it the command and everything it started are killed.
         */
        public Builder maxExecOutput(long bytes) {
            this.maxExecOutput = bytes;
            return this;
        }

        /** The longest timeout an exec may ask for (default 1 hour); without one it gets 10 minutes, or this if shorter. */
        public Builder maxExecTimeout(java.time.Duration timeout) {
            this.maxExecTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /** @throws InvalidRequestException a limit is not positive */
        public DrydockServer build() {
            return new DrydockServer(this);
        }
    }

    /** Starts listening; throws when the address cannot be bound. */
    public DrydockServer start() {
        javalin.start(host, javalin.unsafe.jetty.port);
        log.info("HTTP API listening at {}", uri());
        return this;
    }

    /** Where it listens, e.g. {@code http://127.0.0.1:8080}. */
    public URI uri() {
        return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + javalin.port());
    }

    /** The API routes it serves, for the OpenAPI check; the console's ({@link Console}) are not among them. */
    List<Route> routes() {
        return routes;
    }

    /** Every method and path the server answers, as Javalin holds them: the API's routes and the console's. */
    List<String> servedEndpoints() {
        return javalin.unsafe.internalRouter.allHttpHandlers().stream().map(e -> e.endpoint.method.name() + " " + e.endpoint.path).toList();
    }

    @Override
    public void close() {
        stopping.set(true);
        follower.awaitEnded(FOLLOWERS_END);
        javalin.stop();
        metrics.close();
    }

    private void configure(JavalinConfig config, Authentication auth, int port) {
        config.jetty.port = port;
        config.startup.showJavalinBanner = false;
        java.util.Map<String, java.util.Set<String>> documented = OpenApi.queryParameters();
        for (Route route : routes) {
            java.util.Set<String> parameters = documented.getOrDefault(route.method().name() + " " + route.path(), java.util.Set.of());
            config.routes.addHttpHandler(route.method(), route.path(), ctx -> {
                Optional<ApiToken> token = route.scope().map(scope -> auth.require(ctx, scope));
                refuseUnknownParameters(ctx, route, parameters);
                if (!route.takesBody() && hasBody(ctx)) {
                    throw ApiError.badField("body", route.method() + " " + route.path() + " takes no request body; its input is"
                            + " in its path and query (see /openapi.json)").raise();
                }
                route.handler().handle(ctx, token);
            });
        }
        console.register(config);
        config.routes.exception(ApiError.Raised.class, (e, ctx) -> answer(ctx, e.error()));
        // Javalin answers its own HTTP exceptions in plain text unless their class has a handler
        config.routes.exception(HttpResponseException.class, (e, ctx) -> answer(ctx, translate(e, ctx)));
        config.routes.exception(Exception.class, (e, ctx) -> {
            if (answerBegun(ctx)) {
                // a stream whose client went (a closed console tab's follower): nothing to answer, nothing failed
                log.debug("a streamed answer ended: {}", e.toString());
                return;
            }
            answer(ctx, translate(e, ctx));
        });
        config.routes.error(404, "*", ctx -> {
            boolean empty = ctx.result() == null || ctx.result().isEmpty();
            if (Console.serves(ctx.path())) {
                if (empty || !String.valueOf(ctx.contentType()).startsWith("text/html")) { // not already the console's own 404 page
                    console.showError(ctx, 404, "There is no page " + ctx.path() + ". The links at the top lead to every page.");
                }
            } else if (empty || !"application/json".equals(ctx.contentType())) {
                answer(ctx, noRoute(ctx));
            }
        });
    }

    private static void refuseUnknownParameters(Context ctx, Route route, java.util.Set<String> parameters) {
        for (String name : ctx.queryParamMap().keySet()) {
            if (!parameters.contains(name)) {
                throw ApiError.badField(name, "unknown query parameter '" + name + "' for " + route.method() + " " + route.path()
                        + (parameters.isEmpty() ? ", which takes none" : "; it takes " + String.join(", ", parameters))
                        + " (see /openapi.json)").raise();
            }
        }
    }

    /** Whether the answer's head was already sent, or its request is gone, so that no error answer can follow. */
    private static boolean answerBegun(Context ctx) {
        try {
            return ctx.res().isCommitted();
        } catch (RuntimeException requestGone) {
            return true;
        }
    }

    private static boolean hasBody(Context ctx) {
        return ctx.contentLength() > 0 || ctx.header("Transfer-Encoding") != null;
    }

    private static ApiError translate(Exception e, Context ctx) {
        return switch (e) {
            case InvalidRequestException bad -> ApiError.badField(bad.field(), bad.getMessage());
            case HttpResponseException tooLarge when tooLarge.getStatus() == 413 -> new ApiError(413, "too_large", "the JSON body is larger than the server reads"
                    + " into memory (1 MB); send large input as a file (PUT /v1/leases/ID/files) and read it from there", Optional.of("body"));
            case LeaseNotFoundException missing -> ApiError.notFound(missing.getMessage());
            case dev.drydock.api.GangNotFoundException missing -> ApiError.notFound(missing.getMessage());
            case PathOutsideRootException outside -> ApiError.badField("path", outside.getMessage());
            case FileNotFoundInLeaseException missing -> ApiError.notFound(missing.getMessage());
            case InterfaceNotSupportedException unsupported -> new ApiError(409, "unsupported", unsupported.getMessage(), Optional.empty());
            case NotLeaseHolderException notHolder -> ApiError.forbidden(notHolder.getMessage());
            case TokenScopeException scope -> ApiError.forbidden(scope.getMessage());
            case HttpResponseException missing when missing.getStatus() == 404 -> noRoute(ctx);
            case HttpResponseException http -> new ApiError(http.getStatus(),
                    io.javalin.http.HttpStatus.forStatus(http.getStatus()).name().toLowerCase(java.util.Locale.ROOT), http.getMessage(), Optional.empty());
            case DatabaseUnavailableException down -> new ApiError(503, "unavailable", down.getMessage(), Optional.empty());
            // the server's own access to its database is refused: no request can succeed until an operator acts
            case DatabaseFailureException refused when refused.accessRefused() -> new ApiError(503, "unavailable", refused.getMessage(),
                    Optional.empty());
            case DrydockException failed -> new ApiError(500, "failed", failed.getMessage(), Optional.empty());
            default -> {
                log.error("{} {} failed unexpectedly", ctx.method(), ctx.path(), e);
                yield new ApiError(500, "internal", "the server failed unexpectedly; its log says why", Optional.empty());
            }
        };
    }

    private static ApiError noRoute(Context ctx) {
        return ApiError.notFound("no route " + ctx.method() + " " + ctx.path() + "; see /openapi.json");
    }

    /** The error as JSON; on a console page, as the console's error page. */
    private void answer(Context ctx, ApiError error) {
        if (ctx.res().isCommitted()) {
            // a streamed answer had begun: an error document would be mixed into its bytes
            log.debug("{} {} failed after its answer began: {}", ctx.method(), ctx.path(), error.message());
            return;
        }
        if (Console.serves(ctx.path())) {
            console.showError(ctx, error.status(), error.message());
            return;
        }
        ctx.status(error.status());
        Json.send(ctx, error.document());
    }
}
