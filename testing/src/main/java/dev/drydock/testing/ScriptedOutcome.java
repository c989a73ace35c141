package dev.drydock.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * What one call of a {@link ScriptedBlueprint} step does. A step follows its script one outcome per
 * call, and {@link #done()} (or the step's {@code otherwise}) once the script is used up.
 */
public sealed interface ScriptedOutcome {
    /** The step succeeds: {@code Progress.done()}, a health check that passes, a clean release. */
    record Done() implements ScriptedOutcome {}

    /**
     * The step is not finished: {@code Progress.checkAgainIn(delay, waitingFor)}, naming what it waits
     * for ({@code scripted <step> to finish} when empty); only for the steps that return progress.
     */
    record CheckAgain(Duration delay, Optional<String> waitingFor) implements ScriptedOutcome {
        public CheckAgain {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(waitingFor, "waitingFor");
        }
    }

    /**
     * The step fails for good: {@code Progress.failed(reason)}, a health check that says no, an idle
     * resource not kept ({@code shouldKeep} has no reason to give: the reason is for the test's
     * reader); a lease release, which has no failure to return, throws a {@link ScriptedFailure} with it.
     */
    record Failed(String reason) implements ScriptedOutcome {
        public Failed {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The step throws a {@link ScriptedFailure} with {@code message}, as a buggy blueprint would. */
    record Throws(String message) implements ScriptedOutcome {
        public Throws {
            Objects.requireNonNull(message, "message");
        }
    }

    /**
     * The step blocks its caller's thread until the test {@link #release}s it (or the blueprint is
     * closed), then does {@code then}. The test can wait until a call has reached it.
     */
    final class Hangs implements ScriptedOutcome {
        private final ScriptedOutcome then;
        private final CountDownLatch reached = new CountDownLatch(1);
        private final CountDownLatch released = new CountDownLatch(1);

        Hangs(ScriptedOutcome then) {
            if (then instanceof Hangs) {
                throw new IllegalArgumentException("a hang cannot be followed by another hang: script them one after the other");
            }
            this.then = Objects.requireNonNull(then, "then");
        }

        /** What the step does once released. */
        public ScriptedOutcome then() {
            return then;
        }

        /** Lets the hanging call (and any later one that reaches this outcome) go on. Idempotent. */
        public void release() {
            released.countDown();
        }

        /** Whether a call has reached this hang. */
        public boolean reached() {
            return reached.getCount() == 0;
        }

        /** Waits until a call reaches this hang; fails the test if none does within {@code timeout}. */
        public void awaitReached(Duration timeout) {
            Await.until("a scripted step to reach its hang", timeout, this::reached);
        }

        /** Blocks until released; an interrupted wait throws, so a stopping worker is not held. */
        void hang() {
            reached.countDown();
            try {
                released.await(); // by the test, or by ScriptedBlueprint.close
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ScriptedFailure("interrupted while hanging as scripted");
            }
        }
    }

    static ScriptedOutcome done() {
        return new Done();
    }

    static ScriptedOutcome checkAgainIn(Duration delay) {
        return new CheckAgain(delay, Optional.empty());
    }

    /** Not finished, waiting for {@code waitingFor} (which the engine shows in the row's reason). */
    static ScriptedOutcome checkAgainIn(Duration delay, String waitingFor) {
        return new CheckAgain(delay, Optional.of(waitingFor));
    }

    static ScriptedOutcome failed(String reason) {
        return new Failed(reason);
    }

    static ScriptedOutcome throwing(String message) {
        return new Throws(message);
    }

    /** Hangs until released, then is done. */
    static Hangs hangs() {
        return new Hangs(done());
    }

    /** Hangs until released, then does {@code then}. */
    static Hangs hangsThen(ScriptedOutcome then) {
        return new Hangs(then);
    }
}
