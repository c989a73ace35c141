package dev.drydock.server;

import dev.drydock.core.WorkEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The counters and histograms of what this process's taskmasters do, fed by {@link WorkEvent}s as
 * they happen: counts since this process started, which Prometheus's {@code rate()} and
 * {@code increase()} read across restarts, and sums across taskmasters.
 */
final class WorkMeters implements Consumer<WorkEvent> {
    /** From a lease taken from a pool in milliseconds to a VM built for it in minutes. */
    private static final Duration[] ACTIVATION = seconds(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800);
    /** A working copy in a second to a VM in tens of minutes. */
    private static final Duration[] BUILD = seconds(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 1800, 3600);
    private static final Duration[] DESTROY = seconds(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600);
    private final MeterRegistry registry;

    WorkMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void accept(WorkEvent event) {
        switch (event) {
            case WorkEvent.LeaseActivated a -> timer("drydock.lease.activation",
                    "from a lease's request to ACTIVE, for leases that became active in this process", ACTIVATION, a)
                    .record(a.sinceRequested());
            case WorkEvent.Built b -> timer("drydock.resource.build",
                    "from a resource's creation to ACTIVE, for resources built in this process", BUILD, b).record(b.sinceCreated());
            case WorkEvent.BuildBroke b -> counter("drydock.resource.builds.broken", "builds that gave up: the resource broke", b)
                    .increment();
            case WorkEvent.BuildStepFailed f -> counter("drydock.resource.build.step.failures",
                    "build steps that threw and are tried again", f).increment();
            case WorkEvent.Destroyed d -> timer("drydock.resource.destroy",
                    "the blueprint's destroy step that finished a resource, for resources destroyed in this process", DESTROY, d)
                    .record(d.stepTook());
            case WorkEvent.DestroyStepFailed f -> counter("drydock.resource.destroy.step.failures",
                    "destroy steps that failed and are tried again", f).increment();
        }
    }

    private Timer timer(String name, String description, Duration[] buckets, WorkEvent event) {
        return Timer.builder(name).description(description).tags(tags(event)).serviceLevelObjectives(buckets).register(registry);
    }

    private Counter counter(String name, String description, WorkEvent event) {
        return Counter.builder(name).description(description).tags(tags(event)).register(registry);
    }

    private static Tags tags(WorkEvent event) {
        return Tags.of("blueprint", event.blueprint(), "type", event.blueprintType());
    }

    private static Duration[] seconds(double... values) {
        Duration[] d = new Duration[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = Duration.ofNanos(Math.round(values[i] * 1e9));
        }
        return d;
    }
}
