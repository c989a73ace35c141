package dev.drydock.server.console;

import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.LeaseStatus;
import dev.drydock.core.Drydock;
import dev.drydock.core.LeaseQuery;
import dev.drydock.core.TokenScope;
import dev.drydock.core.WaitLink;
import dev.drydock.server.Query;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code /ui/leases}: the list (filtered, paged by id), one lease (its state, why it waits, its
 * history), the state fragment its page's script long-polls, and release for the lease's holder
 * token or an admin token.
 */
final class LeasePages {
    static final int PAGE = 50;
    /** The history a lease's page shows before "older entries"; the page follows new ones live. */
    static final int HISTORY = 200;
    /** How long the state fragment waits for a change: under the 60 s proxies allow, short enough to notice a gone page. */
    private static final Duration LONG_POLL = Duration.ofSeconds(25);
    private final Drydock drydock;

    LeasePages(Drydock drydock) {
        this.drydock = drydock;
    }

    List<Page> pages() {
        return List.of(
                Page.get(Console.PREFIX + "/leases", this::list),
                Page.get(Console.PREFIX + "/leases/{id}", this::detail),
                Page.get(Console.PREFIX + "/leases/{id}/state", this::state),
                Page.post(Console.PREFIX + "/leases/{id}/release", TokenScope.LEASE, this::release));
    }

    /** The list's model; {@code next} is the next page's address. */
    public record LeaseList(Viewer viewer, Filters filter, List<LeaseInfo> leases, Optional<String> next) {
        public List<LeaseStatus> statuses() {
            return List.of(LeaseStatus.values());
        }
    }

    /** What a lease's state fragment shows, and whether the viewer may release it. */
    public record LeaseState(LeaseInfo lease, List<WaitLink> why, boolean mayRelease) {}

    /** A lease's page: its state and its latest history. */
    public record LeaseDetail(Viewer viewer, LeaseState state, History history) {}

    private void list(Context ctx, Viewer viewer) {
        Filters filter = Filters.of(ctx, "status", "type", "blueprint");
        List<LeaseInfo> page = drydock.leases(new LeaseQuery(filter.get("status").map(s -> Query.enumOf("status", s, LeaseStatus.class)),
                filter.get("type"), filter.get("blueprint"), Query.longValue(ctx, "before", Long.MAX_VALUE, 1, Long.MAX_VALUE), PAGE));
        Optional<String> next = page.size() < PAGE ? Optional.empty() : Optional.of(filter.link(Console.PREFIX + "/leases", page.getLast().id()));
        Templates.page(ctx, "leases", new LeaseList(viewer, filter, page, next));
    }

    private void detail(Context ctx, Viewer viewer) {
        long id = Query.pathId(ctx);
        LeaseState state = state(find(id), viewer);
        Templates.page(ctx, "lease", new LeaseDetail(viewer, state,
                History.latest(drydock, Optional.of(id), Optional.empty(), Optional.empty(), Long.MAX_VALUE, HISTORY)));
    }

    /** The state fragment; with {@code seen}, once the status differs from it or the long-poll ends. */
    private void state(Context ctx, Viewer viewer) {
        long id = Query.pathId(ctx);
        String seen = ctx.queryParam("seen");
        LeaseInfo lease = seen == null ? find(id) : drydock.awaitLeaseChange(id, Query.enumOf("seen", seen, LeaseStatus.class), LONG_POLL);
        ctx.header("X-Lease-Status", lease.status().name());
        ctx.contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(Templates.render("leaseState", state(lease, viewer)));
    }

    private void release(Context ctx, Viewer viewer) {
        long id = Query.pathId(ctx);
        drydock.apiTokens().release(id, viewer.token());
        ctx.redirect(Console.PREFIX + "/leases/" + id, HttpStatus.SEE_OTHER);
    }

    private LeaseState state(LeaseInfo lease, Viewer viewer) {
        boolean holds = viewer.may(TokenScope.LEASE) && drydock.apiTokens().holderOf(lease.id()).filter(h -> h == viewer.token().id()).isPresent();
        List<WaitLink> why = lease.status().isDone() || lease.status() == LeaseStatus.ACTIVE ? List.of() : drydock.waitChain(lease.id());
        return new LeaseState(lease, why, !lease.status().isDone() && (viewer.isAdmin() || holds));
    }

    private LeaseInfo find(long id) {
        return drydock.allocator().find(id).orElseThrow(() -> new LeaseNotFoundException(id));
    }
}
