package dev.drydock.server.console;

import dev.drydock.core.Drydock;
import dev.drydock.server.LogFollower;
import dev.drydock.server.Query;
import io.javalin.http.Context;
import java.util.List;
import java.util.Optional;

/**
 * {@code /ui/logs}: the latest history, optionally of one lease, resource or blueprint, paged back
 * by id; and {@code /ui/logs/follow}, the same Server-Sent Events as the API's follower, for the
 * page's script (which authenticates by the console's cookie).
 */
final class LogPages {
    static final int PAGE = 100;
    private final Drydock drydock;
    private final LogFollower follower;

    LogPages(Drydock drydock, LogFollower follower) {
        this.drydock = drydock;
        this.follower = follower;
    }

    List<Page> pages() {
        return List.of(
                Page.get(Console.PREFIX + "/logs", this::show),
                Page.get(Console.PREFIX + "/logs/follow", (ctx, viewer) -> follower.follow(ctx, LogFollower.Filter.of(ctx))));
    }

    /** The logs page's model: {@code live} when it shows the newest rows and follows what comes after them. */
    public record LogList(Viewer viewer, Filters filter, History history, boolean live, Optional<String> older) {}

    private void show(Context ctx, Viewer viewer) {
        LogFollower.Filter filter = LogFollower.Filter.of(ctx);
        Filters given = Filters.of(ctx, "lease", "resource", "blueprint");
        long before = Query.longValue(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        History history = History.latest(drydock, filter.lease(), filter.resource(), filter.blueprint(), before, PAGE);
        Optional<String> older = history.hasOlder() ? Optional.of(given.link(Console.PREFIX + "/logs", history.oldestId())) : Optional.empty();
        Templates.page(ctx, "logs", new LogList(viewer, given, history, before == Long.MAX_VALUE, older));
    }
}
