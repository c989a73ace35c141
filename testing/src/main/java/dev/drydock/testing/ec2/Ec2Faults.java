package dev.drydock.testing.ec2;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The failures a test makes the fake EC2 show, each the way EC2 shows it (research §1.2, §1.5).
 * Standing faults hold until cleared ({@link #clear()} clears them all); counted ones wear off. Safe
 * to change while clients are calling. An instance that dies is not a standing fault but an event:
 * {@link FakeEc2#instanceDies}.
 */
public final class Ec2Faults {
    private static final String ALL_ACTIONS = "*";

    private final ReentrantLock lock = new ReentrantLock();
    // Signalled when held RunInstances answers are let go (release, clear, close).
    private final Condition launchAnswersReleased = lock.newCondition();
    private final Map<String, Integer> throttled = new HashMap<>();
    private final Set<String> zonesWithoutCapacity = new HashSet<>();
    private final Set<String> typesWithoutCapacity = new HashSet<>();
    private boolean noSpotCapacity;
    private final Map<String, Integer> failingTerminations = new HashMap<>();
    private OptionalInt instanceLimit = OptionalInt.empty();
    private boolean vcpuLimitExceeded;
    private int unseenDescribes;
    private Optional<Duration> bootDelay = Optional.empty();
    private Optional<Duration> shutdownDelay = Optional.empty();
    private Optional<Duration> terminatedListedFor = Optional.empty();
    private boolean foreignHostKey;
    private boolean holdLaunchAnswers;
    private Duration launchAnswerDelay = Duration.ZERO;
    // Bumped by every release: an answer held before it goes out, whatever it was waiting for.
    private long launchAnswerReleases;
    private int launchAnswersHeld;

    Ec2Faults() {}

    /** The next {@code calls} calls of {@code action} fail with {@code RequestLimitExceeded} (503). */
    public Ec2Faults throttle(String action, int calls) {
        return counted(throttled, Objects.requireNonNull(action, "action"), calls);
    }

    /** The next {@code calls} calls of any action fail with {@code RequestLimitExceeded} (503). */
    public Ec2Faults throttleAll(int calls) {
        return counted(throttled, ALL_ACTIONS, calls);
    }

    /** RunInstances into {@code zone} fails with {@code InsufficientInstanceCapacity} (500). */
    public Ec2Faults noCapacityInZone(String zone) {
        return change(() -> zonesWithoutCapacity.add(Objects.requireNonNull(zone, "zone")));
    }

    /** RunInstances of {@code instanceType} fails with {@code InsufficientInstanceCapacity} (500) in every zone. */
    public Ec2Faults noCapacityForType(String instanceType) {
        return change(() -> typesWithoutCapacity.add(Objects.requireNonNull(instanceType, "instanceType")));
    }

    /** Spot launches fail with {@code InsufficientInstanceCapacity} (500) in every zone; on-demand ones are unaffected. */
    public Ec2Faults noSpotCapacity() {
        return change(() -> noSpotCapacity = true);
    }

    public Ec2Faults capacityRestored() {
        return change(() -> {
            zonesWithoutCapacity.clear();
            typesWithoutCapacity.clear();
            noSpotCapacity = false;
        });
    }

    /**
     * A quota of {@code maxInstances} live (not terminated) instances: a RunInstances whose MinCount
     * would pass it fails with {@code InstanceLimitExceeded}; one whose MaxCount would is cut down.
     */
    public Ec2Faults instanceLimit(int maxInstances) {
        if (maxInstances < 0) {
            throw new IllegalArgumentException("maxInstances must be 0 or more, was " + maxInstances);
        }
        return change(() -> instanceLimit = OptionalInt.of(maxInstances));
    }

    /** Every RunInstances fails with {@code VcpuLimitExceeded} until {@link #quotaRaised()}. */
    public Ec2Faults vcpuLimitExceeded() {
        return change(() -> vcpuLimitExceeded = true);
    }

    public Ec2Faults quotaRaised() {
        return change(() -> {
            instanceLimit = OptionalInt.empty();
            vcpuLimitExceeded = false;
        });
    }

    /**
     * Eventual consistency: each instance launched from now on is {@code InvalidInstanceID.NotFound} to
     * the first {@code describes} DescribeInstances calls that ask for it by id.
     */
    public Ec2Faults newInstancesUnseenFor(int describes) {
        nonNegative("describes", describes);
        return change(() -> unseenDescribes = describes);
    }

    /** Instances launched from now on take {@code bootDelay} from pending to running. */
    public Ec2Faults slowBoots(Duration bootDelay) {
        Objects.requireNonNull(bootDelay, "bootDelay");
        return change(() -> this.bootDelay = Optional.of(bootDelay));
    }

    /** Instances whose termination or stop starts from now on take {@code shutdownDelay} to end it. */
    public Ec2Faults slowShutdowns(Duration shutdownDelay) {
        Objects.requireNonNull(shutdownDelay, "shutdownDelay");
        return change(() -> this.shutdownDelay = Optional.of(shutdownDelay));
    }

    /** Instances whose termination starts from now on stay listed as terminated for {@code listedFor}. */
    public Ec2Faults terminatedStayListedFor(Duration listedFor) {
        Objects.requireNonNull(listedFor, "listedFor");
        return change(() -> terminatedListedFor = Optional.of(listedFor));
    }

    /** GetConsoleOutput prints another key's fingerprints and keys than the instance's sshd has. */
    public Ec2Faults consoleShowsForeignHostKey() {
        return change(() -> foreignHostKey = true);
    }

    /**
     * The next {@code calls} TerminateInstances calls that name {@code instanceId} fail with
     * {@code InvalidInstanceID.NotFound} for it, and, as in EC2, terminate none of the batch.
     */
    public Ec2Faults terminateFails(String instanceId, int calls) {
        return counted(failingTerminations, Objects.requireNonNull(instanceId, "instanceId"), calls);
    }

    /**
     * RunInstances launches at once (the instance is listed, boots and keeps its ClientToken) but its
     * answer is held from now on until {@link #releaseLaunchAnswers()} or {@link #clear()}: a client
     * killed meanwhile never learns the instance id. Repeats of a held call's ClientToken are held too.
     */
    public Ec2Faults holdLaunchAnswers() {
        return change(() -> holdLaunchAnswers = true);
    }

    /**
     * Each RunInstances answer from now on leaves {@code delay} after its launch (or when released):
     * the window in which a client has launched but not heard. A delay past the client's read timeout
     * shows to it as a timeout, which is EC2's lost answer.
     */
    public Ec2Faults launchAnswersDelayedBy(Duration delay) {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
            throw new IllegalArgumentException("delay must not be negative, was " + delay);
        }
        return change(() -> launchAnswerDelay = delay);
    }

    /** Sends every held RunInstances answer now (to whichever client still waits) and holds or delays no more. */
    public Ec2Faults releaseLaunchAnswers() {
        return change(this::releaseHeldAnswers);
    }

    /** RunInstances answers held now: launched, not yet answered (their client may be gone). */
    public int launchAnswersHeld() {
        return read(() -> launchAnswersHeld);
    }

    /** Clears every standing and counted fault. */
    public Ec2Faults clear() {
        return change(() -> {
            throttled.clear();
            zonesWithoutCapacity.clear();
            typesWithoutCapacity.clear();
            noSpotCapacity = false;
            failingTerminations.clear();
            instanceLimit = OptionalInt.empty();
            vcpuLimitExceeded = false;
            unseenDescribes = 0;
            bootDelay = Optional.empty();
            shutdownDelay = Optional.empty();
            terminatedListedFor = Optional.empty();
            foreignHostKey = false;
            releaseHeldAnswers();
        });
    }

    private void releaseHeldAnswers() {
        holdLaunchAnswers = false;
        launchAnswerDelay = Duration.ZERO;
        launchAnswerReleases++;
        launchAnswersReleased.signalAll();
    }

    /**
     * Blocks the thread answering a RunInstances that launched (never under the instance table's
     * lock) while answers are held or its delay lasts, until a release; an interrupt (the fake
     * closing) ends the wait at once.
     */
    void holdLaunchAnswer() {
        lock.lock();
        try {
            long release = launchAnswerReleases;
            long until = System.nanoTime() + launchAnswerDelay.toNanos();
            launchAnswersHeld++;
            try {
                while (release == launchAnswerReleases) {
                    if (holdLaunchAnswers) {
                        launchAnswersReleased.await();
                        continue;
                    }
                    long left = until - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    launchAnswersReleased.await(left, TimeUnit.NANOSECONDS);
                }
            } finally {
                launchAnswersHeld--;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            lock.unlock();
        }
    }

    boolean takeThrottle(String action) {
        return read(() -> take(throttled, action) || take(throttled, ALL_ACTIONS));
    }

    boolean noSpotCapacityNow() {
        return read(() -> noSpotCapacity);
    }

    boolean noCapacity(String instanceType, String zone) {
        return read(() -> typesWithoutCapacity.contains(instanceType) || zonesWithoutCapacity.contains(zone));
    }

    OptionalInt instanceLimit() {
        return read(() -> instanceLimit);
    }

    boolean vcpuLimitExceededNow() {
        return read(() -> vcpuLimitExceeded);
    }

    int unseenDescribes() {
        return read(() -> unseenDescribes);
    }

    Duration bootDelay(Duration normal) {
        return read(() -> bootDelay.orElse(normal));
    }

    Duration shutdownDelay(Duration normal) {
        return read(() -> shutdownDelay.orElse(normal));
    }

    Duration terminatedListedFor(Duration normal) {
        return read(() -> terminatedListedFor.orElse(normal));
    }

    boolean foreignHostKey() {
        return read(() -> foreignHostKey);
    }

    boolean takeTerminateFailure(String instanceId) {
        return read(() -> take(failingTerminations, instanceId));
    }

    private static boolean take(Map<String, Integer> counters, String key) {
        Integer left = counters.get(key);
        if (left == null) {
            return false;
        }
        if (left <= 1) {
            counters.remove(key);
        } else {
            counters.put(key, left - 1);
        }
        return true;
    }

    private Ec2Faults counted(Map<String, Integer> counters, String key, int calls) {
        nonNegative("calls", calls);
        return change(() -> {
            if (calls == 0) {
                counters.remove(key);
            } else {
                counters.put(key, calls);
            }
        });
    }

    private static void nonNegative(String name, int value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, was " + value);
        }
    }

    private Ec2Faults change(Runnable change) {
        lock.lock();
        try {
            change.run();
            return this;
        } finally {
            lock.unlock();
        }
    }

    private <T> T read(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }
}
