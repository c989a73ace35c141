package dev.drydock.testing;

import dev.drydock.api.ResourceInterface;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.api.spi.ResourceView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A blueprint that does what the test scripted, for tests of the engine's slow and failing paths.
 * Each step ({@link Step}) follows its own script, one {@link ScriptedOutcome} per call, then its
 * {@link #otherwise} outcome ({@link ScriptedOutcome#done()} unless set); every call is recorded,
 * in the order the engine made them ({@link #calls()}). Its configuration is
 * {@code {"capacity": N}}, optionally with a build timeout ({@code {"capacity": 1, "buildTimeoutMs": 1500}};
 * the engine's default when absent). Builds nothing outside the database.
 *
 * <p>Thread-safe: the engine calls it from many workers while the test scripts and reads it. An
 * instance per test, registered on that test's {@code Drydock} builder; nothing is shared between
 * instances. {@link #close} releases every hang, so close it before the taskmaster that may be
 * blocked in one.
 */
public final class ScriptedBlueprint implements BlueprintImplementation<ScriptedBlueprint.Config>, AutoCloseable {
    /**
     * Leases per resource, and how long a build may take ({@link #buildTimeout}); a null
     * {@code buildTimeoutMs} (absent from the JSON) leaves the engine's default.
     */
    public record Config(int capacity, Long buildTimeoutMs) {
        public Config(int capacity) {
            this(capacity, null);
        }
    }

    /**
     * The blueprint steps a test can script. {@link #SHOULD_KEEP} is the engine asking whether an
     * idle resource is kept: {@link ScriptedOutcome.Done} keeps it (the default), {@link ScriptedOutcome.Failed}
     * says no, so the engine destroys it. The engine asks when a lease's clean-up leaves a
     * resource idle, and its janitor about every idle resource about once a second: a test that
     * reads {@link #calls()} while a resource may be idle meets these calls too.
     */
    public enum Step {
        ALLOCATE, ACTIVATE, ACQUIRE_LEASE, RELEASE_LEASE, DESTROY, CHECK_HEALTH, SHOULD_KEEP;

        /** Whether the step reports progress, and so may be told to check again. */
        boolean reportsProgress() {
            return this != RELEASE_LEASE && this != CHECK_HEALTH && this != SHOULD_KEEP;
        }
    }

    /** One call the engine made: the step, the resource, and the lease for the lease steps. */
    public record Call(Step step, long resourceId, Optional<Long> leaseId) {
        public Call {
            Objects.requireNonNull(step, "step");
            Objects.requireNonNull(leaseId, "leaseId");
        }
    }

    private final String type;
    private final String resourceType;
    private final Map<Step, Queue<ScriptedOutcome>> scripts = new EnumMap<>(Step.class);
    private final Map<Step, ScriptedOutcome> otherwise = new EnumMap<>(Step.class);
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Queue<ScriptedOutcome.Hangs> hangs = new ConcurrentLinkedQueue<>();
    private volatile Duration healthCheckInterval = Duration.ZERO;

    /** Type {@code scripted}, building resources of type {@code scripted}. */
    public ScriptedBlueprint() {
        this("scripted", "scripted");
    }

    public ScriptedBlueprint(String type, String resourceType) {
        this.type = Objects.requireNonNull(type, "type");
        this.resourceType = Objects.requireNonNull(resourceType, "resourceType");
        for (Step step : Step.values()) {
            scripts.put(step, new ConcurrentLinkedQueue<>());
            otherwise.put(step, ScriptedOutcome.done());
        }
    }

    /** Appends outcomes to {@code step}'s script: its next calls do them, in order. */
    public ScriptedBlueprint script(Step step, ScriptedOutcome... outcomes) {
        for (ScriptedOutcome outcome : outcomes) {
            check(step, outcome);
            scripts.get(step).add(outcome);
        }
        return this;
    }

    /** What {@code step} does once its script is used up (instead of {@link ScriptedOutcome#done()}). */
    public ScriptedBlueprint otherwise(Step step, ScriptedOutcome outcome) {
        check(step, outcome);
        synchronized (otherwise) {
            otherwise.put(step, outcome);
        }
        return this;
    }

    /** Asks the engine to check every resource's health this often ({@link Step#CHECK_HEALTH}); zero for never. */
    public ScriptedBlueprint checkHealthEvery(Duration interval) {
        this.healthCheckInterval = Objects.requireNonNull(interval, "interval");
        return this;
    }

    /** Every call so far, in the order they were made. */
    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** The calls of {@code step} so far, in order. */
    public List<Call> calls(Step step) {
        return calls.stream().filter(c -> c.step() == step).toList();
    }

    /** Releases every hang scripted on this blueprint, so no worker stays blocked in it. Idempotent. */
    @Override
    public void close() {
        hangs.forEach(ScriptedOutcome.Hangs::release);
    }

    @Override
    public String type() {
        return type;
    }

    @Override
    public String resourceType() {
        return resourceType;
    }

    @Override
    public Class<Config> configType() {
        return Config.class;
    }

    @Override
    public List<ConfigProblem> validate(Config config) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (config.capacity() < 1) {
            problems.add(new ConfigProblem("capacity", "must be at least 1 lease per resource, was " + config.capacity()));
        }
        if (config.buildTimeoutMs() != null && config.buildTimeoutMs() < 1) {
            problems.add(new ConfigProblem("buildTimeoutMs", "must be at least 1 ms, or absent for the engine's default; was "
                    + config.buildTimeoutMs()));
        }
        return problems;
    }

    @Override
    public int capacity(Config config) {
        return config.capacity();
    }

    @Override
    public Duration buildTimeout(Config config) {
        return config.buildTimeoutMs() == null ? BlueprintImplementation.super.buildTimeout(config)
                : Duration.ofMillis(config.buildTimeoutMs());
    }

    @Override
    public Progress allocate(Config config, ResourceContext resource) {
        return progress(Step.ALLOCATE, resource, Optional.empty());
    }

    @Override
    public Progress activate(Config config, ResourceContext resource) {
        return progress(Step.ACTIVATE, resource, Optional.empty());
    }

    @Override
    public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
        return progress(Step.ACQUIRE_LEASE, resource, Optional.of(lease.lease().id()));
    }

    @Override
    public void releaseLease(Config config, ResourceContext resource, LeaseContext lease) {
        if (run(Step.RELEASE_LEASE, resource, Optional.of(lease.lease().id())) instanceof ScriptedOutcome.Failed(String reason)) {
            throw new ScriptedFailure(reason);
        }
    }

    @Override
    public Progress destroy(Config config, ResourceContext resource) {
        return progress(Step.DESTROY, resource, Optional.empty());
    }

    @Override
    public Duration healthCheckInterval(Config config) {
        return healthCheckInterval;
    }

    @Override
    public Decision checkHealth(Config config, ResourceContext resource) {
        return run(Step.CHECK_HEALTH, resource, Optional.empty()) instanceof ScriptedOutcome.Failed(String reason)
                ? Decision.no(reason) : Decision.yes();
    }

    @Override
    public boolean shouldKeep(Config config, ResourceView resource, Duration idleFor) {
        return !(run(Step.SHOULD_KEEP, resource, Optional.empty()) instanceof ScriptedOutcome.Failed);
    }

    @Override
    public <T extends ResourceInterface> Optional<T> interfaceFor(Config config, ResourceContext resource, LeaseView lease, Class<T> type) {
        return Optional.empty();
    }

    private Progress progress(Step step, ResourceContext resource, Optional<Long> lease) {
        return switch (run(step, resource, lease)) {
            case ScriptedOutcome.CheckAgain(Duration delay, Optional<String> waitingFor) ->
                    Progress.checkAgainIn(delay, waitingFor.orElse("scripted " + step.name().toLowerCase() + " to finish"));
            case ScriptedOutcome.Failed(String reason) -> Progress.failed(reason);
            default -> Progress.done();
        };
    }

    /** Records the call and does the step's next outcome; returns what is left to report (never a hang or a throw). */
    private ScriptedOutcome run(Step step, ResourceContext resource, Optional<Long> lease) {
        return run(step, resource.resource(), lease);
    }

    private ScriptedOutcome run(Step step, ResourceView resource, Optional<Long> lease) {
        calls.add(new Call(step, resource.id(), lease));
        ScriptedOutcome outcome = scripts.get(step).poll();
        if (outcome == null) {
            synchronized (otherwise) {
                outcome = otherwise.get(step);
            }
        }
        if (outcome instanceof ScriptedOutcome.Hangs hang) {
            hang.hang();
            outcome = hang.then();
        }
        if (outcome instanceof ScriptedOutcome.Throws(String message)) {
            throw new ScriptedFailure(message);
        }
        return outcome;
    }

    private void check(Step step, ScriptedOutcome outcome) {
        Objects.requireNonNull(outcome, "outcome");
        ScriptedOutcome effect = outcome instanceof ScriptedOutcome.Hangs hang ? hang.then() : outcome;
        if (effect instanceof ScriptedOutcome.CheckAgain && !step.reportsProgress()) {
            throw new IllegalArgumentException(step + " cannot check again: it reports no progress; script done, failed, throwing or a hang");
        }
        if (outcome instanceof ScriptedOutcome.Hangs hang) {
            hangs.add(hang);
        }
    }
}
