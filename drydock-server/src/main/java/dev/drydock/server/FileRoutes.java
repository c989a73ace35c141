package dev.drydock.server;

import dev.drydock.api.FileEntry;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.core.ApiToken;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/leases/{id}/files?path=…}: a file of the lease's directory, read (GET, its bytes
 * streamed) or written (PUT, the request body streamed into it, never held in memory), for the
 * lease's holder or an admin token. Paths are confined as the filesystem interface confines them:
 * one that leaves the lease's directory is a 400 and nothing is touched. A write replaces the file
 * at once when the body is complete; a body over {@link UseLimits#maxUpload()} is a 413 and leaves
 * the old file as it was.
 */
final class FileRoutes {
    private static final Logger log = LoggerFactory.getLogger(FileRoutes.class);
    private final LeaseUse use;
    private final UseLimits limits;

    FileRoutes(LeaseUse use, UseLimits limits) {
        this.use = use;
        this.limits = limits;
    }

    List<Route> routes() {
        return List.of(
                Route.of(HandlerType.GET, "/v1/leases/{id}/files", TokenScope.LEASE,
                        "Read a file of a lease's directory (its holder or an admin token), streamed", this::get),
                Route.withBody(HandlerType.PUT, "/v1/leases/{id}/files", TokenScope.LEASE,
                        "Write a file in a lease's directory from the body (its holder or an admin token), streamed", this::put));
    }

    private void get(Context ctx, Optional<ApiToken> token) throws IOException {
        long id = Query.pathId(ctx);
        String path = path(ctx);
        FilesystemInterface files = use.open(id, FilesystemInterface.class, token.orElseThrow());
        Optional<Long> size = size(files, path);
        try (InputStream in = files.open(path)) { // a missing file, a directory or a path outside: refused before anything is sent
            ctx.res().setStatus(200);
            ctx.res().setContentType("application/octet-stream");
            size.ifPresent(ctx.res()::setContentLengthLong);
            OutputStream out = ctx.res().getOutputStream();
            // At most the announced length: a file that grew meanwhile is cut there; one that shrank
            // ends short of it, and the server closes the connection, so the client sees the failure.
            try {
                in.transferTo(size.isPresent() ? new CappedOutput(out, size.get()) : out);
                out.flush();
            } catch (IOException e) {
                log.debug("sending {} of lease {} stopped: {}", path, id, e.toString()); // the client went, or the file failed to read
            }
        }
    }

    private void put(Context ctx, Optional<ApiToken> token) throws IOException {
        long id = Query.pathId(ctx);
        String path = path(ctx);
        FilesystemInterface files = use.open(id, FilesystemInterface.class, token.orElseThrow());
        long announced = ctx.req().getContentLengthLong();
        if (announced > limits.maxUpload()) {
            throw tooLarge().raise();
        }
        BoundedInput body = new BoundedInput(ctx.req().getInputStream(), limits.maxUpload());
        try {
            files.write(path, body);
        } catch (RuntimeException e) {
            if (body.exceeded()) {
                throw tooLarge().raise();
            }
            throw e;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path);
        m.put("size", body.count());
        Json.send(ctx, m);
    }

    private ApiError tooLarge() {
        return new ApiError(413, "too_large", "the body is larger than " + limits.maxUpload() + " bytes, the most this server writes"
                + " (DrydockServer.Builder.maxUpload); nothing was written", Optional.of("body"));
    }

    private static String path(Context ctx) {
        return Query.text(ctx, "path").orElseThrow(() -> ApiError.badField("path",
                "'path' is required: the file's path inside the lease's directory, e.g. ?path=out/report.txt").raise());
    }

    /** The file's size from its directory's listing, when the listing has it as a file. */
    private static Optional<Long> size(FilesystemInterface files, String path) {
        int slash = path.lastIndexOf('/');
        String directory = slash < 0 ? "" : path.substring(0, slash);
        try {
            return files.list(directory).stream().filter(e -> e.path().equals(path) && e.kind() == FileEntry.Kind.FILE)
                    .map(FileEntry::size).findFirst();
        } catch (RuntimeException e) {
            return Optional.empty(); // not listable as given: open() says why
        }
    }
}
