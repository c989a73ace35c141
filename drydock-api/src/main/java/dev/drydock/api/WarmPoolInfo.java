package dev.drydock.api;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A blueprint's warm pool: how many idle, ready resources to keep (idle, not total: a resource a
 * lease holds does not count), optionally only of resources that meet {@code attributes}, and how
 * long one may stay idle and ready before it is recycled; with what the planner last said of it.
 *
 * @param blueprint   the blueprint's name
 * @param attributes  what a resource must meet to count for this pool; empty: any resource of the blueprint
 * @param minReady    idle, ready resources to keep
 * @param maxReadyAge how long a resource may stay idle and ready before it is recycled; empty: no limit
 * @param status      the planner's last verdict, e.g. {@code "ci: 1 of 2 ready idle, building 1; limit 10 of 10 — waiting"}
 */
public record WarmPoolInfo(String blueprint, Map<String, String> attributes, int minReady, Optional<Duration> maxReadyAge, String status) {
    public WarmPoolInfo {
        attributes = Map.copyOf(attributes);
    }
}
