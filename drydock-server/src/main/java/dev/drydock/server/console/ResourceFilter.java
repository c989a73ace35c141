package dev.drydock.server.console;

import dev.drydock.api.ResourceInfo;
import dev.drydock.core.Drydock;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/** The resources list's filters, read from the query; each one is served by an index. */
public record ResourceFilter(Optional<String> status, Optional<String> type, Optional<String> blueprint) {
    static ResourceFilter of(Context ctx) {
        return new ResourceFilter(Optional.empty(), Optional.empty(), Optional.empty());
    }

    List<ResourceInfo> page(Drydock drydock, long before, int limit) {
        return List.of(); // TODO: paged core listing (branch httpexec)
    }

    String link(long lastId) {
        return Console.PREFIX + "/resources?before=" + lastId;
    }
}
