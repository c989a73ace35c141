package dev.drydock.core.internal.placement;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.ResourceScorer;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scorers a process knows by name: {@code binpack} and {@code spread} built in, others
 * registered by the application. A blueprint's {@code placement} must name one of them when it is
 * stored ({@link #check}); a blueprint stored by another process with a scorer this one lacks is
 * placed by {@code binpack} here, with one warning per name. A scorer that throws or answers a
 * number that is not finite is replaced by {@code binpack} for that score, with one warning per
 * name. Thread-safe.
 */
public final class Scorers {
    private static final Logger LOG = LoggerFactory.getLogger(Scorers.class);
    /** What a blueprint is placed by unless it says otherwise (the column's default). */
    public static final ResourceScorer DEFAULT = FreeShare.BINPACK;
    private static final Map<String, ResourceScorer> BUILT_IN = Map.of(FreeShare.BINPACK.name(), FreeShare.BINPACK,
            FreeShare.SPREAD.name(), FreeShare.SPREAD);
    private final Map<String, ResourceScorer> byName;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** The built-in scorers and {@code custom} ones. */
    public Scorers(Collection<ResourceScorer> custom) {
        Map<String, ResourceScorer> all = new TreeMap<>(BUILT_IN);
        for (ResourceScorer scorer : custom) {
            checkNew(scorer, all.keySet());
            all.put(scorer.name(), scorer);
        }
        this.byName = Map.copyOf(all);
    }

    public static Scorers builtIn() {
        return new Scorers(java.util.List.of());
    }

    /** Refuses a scorer whose name could not be a blueprint's placement, or is taken (built in, or by one of {@code taken}). */
    public static void checkNew(ResourceScorer scorer, Set<String> taken) {
        Objects.requireNonNull(scorer, "scorer");
        String name = scorer.name();
        if (name == null || !ResourceScorer.NAME.matcher(name).matches()) {
            throw new InvalidRequestException("scorer", "a scorer's name must be lower-case letters, digits and '-', starting with a letter,"
                    + " was '" + name + "'");
        }
        if (BUILT_IN.containsKey(name) || taken.contains(name)) {
            throw new InvalidRequestException("scorer", "the name '" + name + "' is already taken (binpack and spread are built in)");
        }
    }

    /** The names known here, sorted. */
    public Set<String> names() {
        return new java.util.TreeSet<>(byName.keySet());
    }

    /** Refuses a placement that names no scorer known here, naming those that are. */
    public void check(String placement) {
        if (placement == null || !byName.containsKey(placement)) {
            throw new InvalidRequestException("placement", "no scorer is named '" + placement + "'; known are "
                    + String.join(", ", names()) + " (an application adds its own with Drydock.Builder.scorer)");
        }
    }

    /** The scorer {@code placement} names, or {@link #DEFAULT} when this process does not know it. */
    public ResourceScorer of(String placement) {
        ResourceScorer scorer = byName.get(placement);
        if (scorer != null) {
            return scorer;
        }
        if (warned.add(placement)) {
            LOG.warn("placement '{}' of a stored blueprint names no scorer registered in this process (known: {}); its leases are placed"
                    + " by {} here until a process with it registered places them", placement, names(), DEFAULT.name());
        }
        return DEFAULT;
    }

    /** {@code scorer}'s score, or {@link #DEFAULT}'s when it throws or answers a number that is not finite. */
    public ResourceScorer.Score score(ResourceScorer scorer, ResourceScorer.ScoredResource candidate, LeaseView lease) {
        if (scorer instanceof FreeShare) {
            return scorer.score(candidate, lease);
        }
        String problem;
        try {
            ResourceScorer.Score score = scorer.score(candidate, lease);
            if (score != null && Double.isFinite(score.value())) {
                return score;
            }
            problem = "answered " + (score == null ? "no score" : "the score " + score.value());
        } catch (RuntimeException e) {
            problem = "threw " + e;
        }
        if (warned.add("failing:" + scorer.name())) {
            LOG.warn("scorer '{}' {} for resource {}; {} scores in its place when it does (this is logged once)",
                    scorer.name(), problem, candidate.resource().id(), DEFAULT.name());
        }
        return DEFAULT.score(candidate, lease);
    }
}
