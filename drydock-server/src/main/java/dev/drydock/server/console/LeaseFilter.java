package dev.drydock.server.console;

import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseStatus;
import dev.drydock.core.Drydock;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** The leases list's filters, read from the query; each one is served by an index. */
public record LeaseFilter(Optional<LeaseStatus> status, Optional<String> type, Optional<String> blueprint) {
    static LeaseFilter of(Context ctx) {
        return new LeaseFilter(text(ctx, "status").map(LeasePages::status), text(ctx, "type"), text(ctx, "blueprint"));
    }

    private static Optional<String> text(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name)).map(String::strip).filter(s -> !s.isEmpty());
    }

    List<LeaseInfo> page(Drydock drydock, long before, int limit) {
        return drydock.leases(status, before, limit);
    }

    /** The address of this filter's page after lease {@code lastId}. */
    String link(long lastId) {
        StringBuilder b = new StringBuilder(Console.PREFIX + "/leases?");
        status.ifPresent(s -> b.append("status=").append(s.name()).append('&'));
        type.ifPresent(t -> b.append("type=").append(URLEncoder.encode(t, StandardCharsets.UTF_8)).append('&'));
        blueprint.ifPresent(n -> b.append("blueprint=").append(URLEncoder.encode(n, StandardCharsets.UTF_8)).append('&'));
        return b.append("before=").append(lastId).toString();
    }

    public String statusName() {
        return status.map(Enum::name).orElse("");
    }

    public List<LeaseStatus> statuses() {
        return List.of(LeaseStatus.values());
    }
}
