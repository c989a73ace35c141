package dev.drydock.core.internal.engine;

import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.LeaseRow;
import dev.drydock.core.internal.store.ResourceRow;
import dev.drydock.core.internal.store.ResourceStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Plans a waiting gang's admission in memory, as {@code Allocation} plans a batch: each member, in
 * id order, gets the best offered resource with room left after the members before it, or else a
 * build on the first candidate blueprint with room in its limit. Nothing is written here; the plan is
 * reserved whole or not at all ({@link GangUpdater}). Resources being built for other leases are
 * left to them, and a blueprint whose head gang is older than this gang is not used at all: a gang
 * never overtakes an older gang there (docs/planner.md, "Admission").
 */
final class GangPlanner {
    private final Allocation allocation;

    GangPlanner(Allocation allocation) {
        this.allocation = allocation;
    }

    /** A member placed on an existing resource of a blueprint. */
    record Place(LeaseRow member, ResourceRow resource, BlueprintRow blueprint) {}

    /**
     * A member for whom a resource is to be built: the {@code resource}-th new resource of the plan,
     * which members of the same blueprint share up to its capacity.
     */
    record Build(LeaseRow member, Allocation.Candidate with, int resource) {}

    /** What the head gang of a blueprint needs there: lease places on existing resources, and new resources. */
    record Need(int places, int builds) {
        Need plus(Need other) {
            return new Need(places + other.places, builds + other.builds);
        }
    }

    /** Where planning came out. */
    sealed interface Verdict {
        /** Every member has a place or a build. */
        record Fits(List<Place> places, List<Build> builds) implements Verdict {}

        /** Not every member fits now; the reason says why, and what the gang needs of each blueprint (by id). */
        record Waits(String reason, Map<Long, Need> needs) implements Verdict {}

        /** A member can never be served: waiting cannot help. */
        record Refused(String reason) implements Verdict {}
    }

    /**
     * Plans for {@code members} (all PENDING) with the offers of their types; {@code builtForOthers}
     * are resources other leases wait to be built; {@code firstMember} is the gang's place in the
     * request order.
     */
    Verdict plan(List<LeaseRow> members, Map<String, ResourceStore.Offers> offers, Set<Long> builtForOthers, long firstMember) {
        Map<Long, Integer> room = new HashMap<>();
        Map<Long, Integer> builds = new HashMap<>();
        List<int[]> newRoom = new ArrayList<>(); // per new resource of the plan: its places left
        Map<Long, Need> needs = new TreeMap<>();
        List<Place> places = new ArrayList<>();
        List<Build> toBuild = new ArrayList<>();
        Map<String, String> shortfalls = new LinkedHashMap<>();
        Map<String, Integer> perType = members.stream().collect(Collectors.toMap(LeaseRow::resourceType, m -> 1, Integer::sum));
        for (LeaseRow member : members) {
            ResourceStore.Offers offered = offers.get(member.resourceType());
            Allocation.Candidates candidates = allocation.candidates(member, offered.blueprints());
            if (candidates.usable().isEmpty()) {
                if (candidates.elsewhere().isEmpty()) {
                    return new Verdict.Refused("member " + member.id() + " (" + member.resourceType() + "): " + candidates.explainNone(member));
                }
                shortfalls.put("member " + member.id(), "no running taskmaster here has blueprint type "
                        + candidates.elsewhere().stream().map(BlueprintRow::type).distinct().sorted().collect(Collectors.joining(" or "))
                        + ": run every type a gang needs in one taskmaster");
                continue;
            }
            Optional<String> tooMany = tooManyFor(member.resourceType(), perType.get(member.resourceType()), candidates);
            if (tooMany.isPresent()) {
                return new Verdict.Refused(tooMany.get());
            }
            LeaseView view = Engine.view(member);
            Optional<Place> place = placeOn(member, offered, candidates, view, room, builtForOthers, firstMember);
            if (place.isPresent()) {
                places.add(place.get());
                needs.merge(place.get().blueprint().id(), new Need(1, 0), Need::plus);
                continue;
            }
            if (OnResource.of(member.attributes()).isPresent()) {
                shortfalls.put("member " + member.id(), "resource " + OnResource.of(member.attributes()).get()
                        + ", which it must be placed on, has no room for it");
                continue;
            }
            Optional<Build> sharing = shareBuild(member, candidates, toBuild, newRoom, firstMember);
            if (sharing.isPresent()) {
                toBuild.add(sharing.get());
                needs.merge(sharing.get().with().blueprint().id(), new Need(0, 1), Need::plus);
                continue;
            }
            List<String> full = new ArrayList<>();
            Optional<Allocation.Candidate> build = buildOn(candidates, view, builds, firstMember, full);
            if (build.isPresent()) {
                newRoom.add(new int[] {Engine.impl(build.get().configured()).capacity(build.get().configured().config()) - 1});
                toBuild.add(new Build(member, build.get(), newRoom.size() - 1));
                needs.merge(build.get().blueprint().id(), new Need(0, 1), Need::plus);
            } else {
                shortfalls.put("member " + member.id(), String.join("; ", full));
                preferred(candidates, firstMember).ifPresent(b -> needs.merge(b.id(), new Need(0, 1), Need::plus));
            }
        }
        if (shortfalls.isEmpty()) {
            return new Verdict.Fits(places, toBuild);
        }
        return new Verdict.Waits("waiting for room for all " + members.size() + " members at once (it holds nothing meanwhile): "
                + shortfalls.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue()).collect(Collectors.joining("; ")), needs);
    }

    /** The best offered resource with room left for the member, counting the places planned before it. */
    private Optional<Place> placeOn(LeaseRow member, ResourceStore.Offers offered, Allocation.Candidates candidates, LeaseView view,
                                    Map<Long, Integer> room, Set<Long> builtForOthers, long firstMember) {
        for (ResourceRow resource : offered.withRoom()) {
            if (!OnResource.allows(member.attributes(), resource.id()) || builtForOthers.contains(resource.id())) {
                continue;
            }
            int free = room.computeIfAbsent(resource.id(), id -> resource.capacity() - resource.activeLeases());
            Optional<Allocation.Candidate> usable = free > 0 ? candidates.byId(resource.blueprintId()) : Optional.empty();
            if (usable.isPresent() && !usable.get().blueprint().heldFor(firstMember) && allocation.canAcquire(usable.get(), resource, view)) {
                room.put(resource.id(), free - 1);
                return Optional.of(new Place(member, resource, usable.get().blueprint()));
            }
        }
        return Optional.empty();
    }

    /** A place on a resource the plan builds for an earlier member, of a blueprint this member may use, if one has room left. */
    private static Optional<Build> shareBuild(LeaseRow member, Allocation.Candidates candidates, List<Build> planned, List<int[]> newRoom,
                                              long firstMember) {
        if (OnResource.of(member.attributes()).isPresent()) {
            return Optional.empty();
        }
        for (Build b : planned) {
            int[] left = newRoom.get(b.resource());
            Optional<Allocation.Candidate> usable = candidates.byId(b.with().blueprint().id());
            if (left[0] > 0 && usable.isPresent() && !usable.get().blueprint().heldFor(firstMember)) {
                left[0]--;
                return Optional.of(new Build(member, usable.get(), b.resource()));
            }
        }
        return Optional.empty();
    }

    /** The first candidate blueprint that may build for the member now, counting the builds planned before it. */
    private Optional<Allocation.Candidate> buildOn(Allocation.Candidates candidates, LeaseView view, Map<Long, Integer> builds, long firstMember,
                                                   List<String> full) {
        for (Allocation.Candidate c : candidates.usable()) {
            BlueprintRow b = c.blueprint();
            if (b.heldFor(firstMember)) {
                full.add(b.name() + ": an older gang waits for room there (gangs are admitted in request order)");
                continue;
            }
            int planned = builds.getOrDefault(b.id(), 0);
            if (b.resourceCount() + planned >= b.resourceLimit()) {
                full.add(b.name() + ": at its limit of " + b.resourceLimit() + " resources, "
                        + (planned == 0 ? "all of them full" : planned + " of them wanted for other members"));
                continue;
            }
            if (Engine.impl(c.configured()).canAllocate(c.configured().config(), view) instanceof Decision.No no) {
                full.add(b.name() + ": " + no.reason());
                continue;
            }
            builds.put(b.id(), planned + 1);
            return Optional.of(c);
        }
        return Optional.empty();
    }

    /** The blueprint a member that fits nowhere waits for: the first candidate no older gang holds. */
    private static Optional<BlueprintRow> preferred(Allocation.Candidates candidates, long firstMember) {
        return candidates.usable().stream().map(Allocation.Candidate::blueprint).filter(b -> !b.heldFor(firstMember)).findFirst();
    }

    /**
     * Refuses a gang whose members of one type outnumber every lease place its candidate blueprints
     * could ever have (each limit × capacity): no release would ever make room for them all.
     */
    private Optional<String> tooManyFor(String type, int wanted, Allocation.Candidates candidates) {
        long places = 0;
        for (Allocation.Candidate c : candidates.usable()) {
            places += (long) c.blueprint().resourceLimit() * Engine.impl(c.configured()).capacity(c.configured().config());
        }
        if (places >= wanted) {
            return Optional.empty();
        }
        return Optional.of("it wants " + wanted + " " + type + " leases at once, and its blueprints ("
                + candidates.usable().stream().map(c -> c.blueprint().name()).collect(Collectors.joining(", ")) + ") can never hold more than "
                + places + " (resource limit × capacity); raise a limit or ask for fewer");
    }
}
