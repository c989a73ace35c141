package dev.drydock.core.internal.engine;

import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceScorer;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.ResourceRow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.ToIntFunction;

/**
 * The order in which a lease tries the offered resources of its type (DESIGN §4 step 2): each
 * blueprint's resources ranked by the blueprint's scorer, best first (ties: the one ACTIVE longest,
 * then the lower id), while the blueprints keep the places the offers query gave them (its rows'
 * order, which interleaves blueprints): a scorer reorders only among its own blueprint's resources.
 * Immutable once made.
 */
final class OfferRanking {
    /** How many resources besides the chosen one a placement reason names. */
    private static final int OTHERS_SHOWN = 3;
    private static final Comparator<Entry> BEST_FIRST = Comparator.<Entry>comparingDouble(e -> -e.score().value())
            // a resource ready longer is nearer to being recycled: use it first; no time recorded is the oldest
            .thenComparing(e -> e.resource().readyAt().orElse(Instant.MIN))
            .thenComparingLong(e -> e.resource().id());

    /** An offered resource, its score, and the scorer that gave it. */
    record Entry(ResourceRow resource, ResourceScorer.Score score, String scorer) {}

    private final List<Entry> order;
    private final Map<Long, List<Entry>> byBlueprint;

    private OfferRanking(List<Entry> order, Map<Long, List<Entry>> byBlueprint) {
        this.order = order;
        this.byBlueprint = byBlueprint;
    }

    /**
     * Ranks {@code offered} (the offers query's rows, best first by its prefilter) for {@code lease}:
     * only resources of blueprints {@code usable} accepts and that {@code taken} (the leases each holds,
     * counting those handed out in this batch) leaves room on; scored as of {@code now}.
     */
    static OfferRanking rank(Engine engine, List<ResourceRow> offered, List<BlueprintRow> blueprints, LongPredicate usable,
                             ToIntFunction<ResourceRow> taken, LeaseView lease, Instant now) {
        Map<Long, List<Entry>> byBlueprint = new HashMap<>();
        List<Long> places = new ArrayList<>();
        for (ResourceRow r : offered) {
            int leases = taken.applyAsInt(r);
            if (leases >= r.capacity() || !usable.test(r.blueprintId())) {
                continue;
            }
            BlueprintRow b = blueprintOf(blueprints, r.blueprintId());
            ResourceScorer scorer = engine.scorers().of(b.placement());
            ResourceScorer.ScoredResource candidate = new ResourceScorer.ScoredResource(engine.view(r, b), r.capacity(), leases,
                    r.failedAt(), r.readyAt(), now);
            byBlueprint.computeIfAbsent(r.blueprintId(), id -> new ArrayList<>())
                    .add(new Entry(r, engine.scorers().score(scorer, candidate, lease), scorer.name()));
            places.add(r.blueprintId());
        }
        byBlueprint.values().forEach(entries -> entries.sort(BEST_FIRST));
        Map<Long, Iterator<Entry>> next = new HashMap<>();
        byBlueprint.forEach((id, entries) -> next.put(id, entries.iterator()));
        List<Entry> order = new ArrayList<>(places.size());
        for (long blueprintId : places) {
            order.add(next.get(blueprintId).next());
        }
        return new OfferRanking(order, byBlueprint);
    }

    private static BlueprintRow blueprintOf(List<BlueprintRow> blueprints, long id) {
        for (BlueprintRow b : blueprints) {
            if (b.id() == id) {
                return b;
            }
        }
        throw new IllegalStateException("resource offered of blueprint " + id + ", which the offers did not list");
    }

    /** The resources to try, in order. */
    List<ResourceRow> resources() {
        return order.stream().map(Entry::resource).toList();
    }

    /**
     * What the placement reason adds for a lease placed on {@code chosen}: the scorer, then the
     * chosen resource's score and those of up to three others of its blueprint, best first, each
     * with what decided it; those ranked above the chosen one that were passed over say why
     * ({@code passedOver}, by resource id: "declined", "filled up").
     */
    String explain(ResourceRow chosen, Map<Long, String> passedOver) {
        List<Entry> ranked = byBlueprint.getOrDefault(chosen.blueprintId(), List.of());
        Entry mine = ranked.stream().filter(e -> e.resource().id() == chosen.id()).findFirst().orElse(null);
        if (mine == null) {
            return "";
        }
        StringBuilder s = new StringBuilder(" (").append(mine.scorer()).append(": ");
        append(s, mine, "");
        int shown = 0;
        for (Entry e : ranked) {
            if (e == mine) {
                continue;
            }
            if (shown == OTHERS_SHOWN) {
                s.append(", ").append(ranked.size() - 1 - shown).append(" more");
                break;
            }
            append(s.append(", "), e, passedOver.getOrDefault(e.resource().id(), ""));
            shown++;
        }
        return s.append(')').toString();
    }

    private static void append(StringBuilder s, Entry e, String passed) {
        s.append('r').append(e.resource().id()).append(' ').append(twoDecimals(e.score().value()));
        if (!e.score().why().isEmpty()) {
            s.append(' ').append(e.score().why());
        }
        if (!passed.isEmpty()) {
            s.append(' ').append(passed);
        }
    }

    /** {@code 0.93}, {@code -0.46}: two decimals without String.format, which would cost more than the ranking. */
    static String twoDecimals(double value) {
        long hundredths = Math.round(value * 100);
        long whole = Math.abs(hundredths) / 100;
        long cents = Math.abs(hundredths) % 100;
        return (hundredths < 0 ? "-" : "") + whole + "." + (cents < 10 ? "0" : "") + cents;
    }
}
