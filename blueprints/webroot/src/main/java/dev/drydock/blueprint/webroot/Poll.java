package dev.drydock.blueprint.webroot;

import dev.drydock.api.DrydockException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition on a host by asking again, with a short pause that grows a little: the
 * host is only reachable through commands, so there is no event to wait on.
 */
final class Poll {
    private Poll() {}

    /** Whether {@code condition} held within {@code limit}; asked at least once. */
    static boolean until(Duration limit, BooleanSupplier condition) {
        long deadline = System.nanoTime() + limit.toNanos();
        long pauseMillis = 20;
        while (true) {
            if (condition.getAsBoolean()) {
                return true;
            }
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            try {
                Thread.sleep(pauseMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DrydockException("interrupted while waiting on the host", e);
            }
            pauseMillis = Math.min(250, pauseMillis * 2);
        }
    }
}
