package dev.drydock.server;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Meters whose values, and whose label sets, come from a snapshot read at scrape time: a blueprint
 * created since the last scrape gets its series, and one deleted (or a database that cannot be read)
 * loses them, rather than repeating a stale value. Not thread-safe: {@link Metrics} updates and
 * scrapes under one lock.
 */
final class SnapshotMeters {
    /** One value of a snapshot; a counter is a count kept in the database that only grows. */
    record Sample(String name, String description, Tags tags, boolean counter, double value) {
        static Sample gauge(String name, String description, Tags tags, double value) {
            return new Sample(name, description, tags, false, value);
        }

        static Sample counter(String name, String description, Tags tags, double value) {
            return new Sample(name, description, tags, true, value);
        }

        Key key() {
            return new Key(name, tags, counter);
        }
    }

    private record Key(String name, Tags tags, boolean counter) {}

    private final MeterRegistry registry;
    private final Map<Key, Meter> meters = new HashMap<>();
    private Map<Key, Double> values = Map.of();

    SnapshotMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Shows {@code samples} from now on, and nothing else. */
    void show(List<Sample> samples) {
        values = samples.stream().collect(Collectors.toMap(Sample::key, Sample::value, (a, b) -> b));
        for (Sample s : samples) {
            meters.computeIfAbsent(s.key(), k -> register(s));
        }
        Set<Key> gone = meters.keySet().stream().filter(k -> !values.containsKey(k)).collect(Collectors.toSet());
        gone.forEach(k -> registry.remove(meters.remove(k)));
    }

    private Meter register(Sample s) {
        Key key = s.key();
        return s.counter()
                ? FunctionCounter.builder(s.name(), this, m -> m.value(key)).description(s.description()).tags(s.tags()).register(registry)
                : Gauge.builder(s.name(), this, m -> m.value(key)).description(s.description()).tags(s.tags()).register(registry);
    }

    private double value(Key key) {
        return values.getOrDefault(key, Double.NaN);
    }
}
