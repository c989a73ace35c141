package dev.drydock.blueprint.ec2;

import dev.drydock.api.spi.Progress;
import java.time.Duration;

/**
 * A blueprint's rate of EC2 calls from this process: a token bucket that refills at
 * {@code perSecond} up to one second's worth. A step that finds it empty does not wait: it says
 * "check again" and frees its worker.
 */
final class CallBudget {
    private final double perSecond;
    private double tokens;
    private long refilledAt = System.nanoTime();

    CallBudget(double perSecond) {
        this.perSecond = perSecond;
        this.tokens = Math.max(1, perSecond);
    }

    /** What a step answers when {@link #take} said no: check again once the bucket has a call in it. */
    Progress checkAgain() {
        return Progress.checkAgainIn(refillTime(), "the blueprint's EC2 call budget (callsPerSecond)");
    }

    /** How long the bucket takes to gain one call (at most a second). */
    Duration refillTime() {
        return Duration.ofMillis(Math.min(1000, Math.max(10, Math.round(1000 / perSecond))));
    }

    synchronized boolean take() {
        long now = System.nanoTime();
        tokens = Math.min(Math.max(1, perSecond), tokens + (now - refilledAt) / 1e9 * perSecond);
        refilledAt = now;
        if (tokens < 1) {
            return false;
        }
        tokens -= 1;
        return true;
    }
}
