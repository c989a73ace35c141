package dev.drydock.core.internal.engine;

import dev.drydock.core.WorkEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who hears this process's {@link WorkEvent}s. Telling them never fails the work: a listener that
 * throws is logged and the work goes on, since what it reports is already stored.
 */
public final class WorkListeners {
    private static final Logger LOG = LoggerFactory.getLogger(WorkListeners.class);
    private final List<Consumer<WorkEvent>> listeners = new CopyOnWriteArrayList<>();

    /** Adds {@code listener}; closing what it returns removes it again (idempotent). */
    public WorkEvent.Listening add(Consumer<WorkEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** {@code d}, or zero if it is negative (two clocks that disagree). */
    static Duration atLeastZero(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    void tell(WorkEvent event) {
        for (Consumer<WorkEvent> listener : listeners) {
            try {
                listener.accept(event);
            } catch (RuntimeException e) {
                LOG.warn("a work listener failed on {}; the work it reports is stored and goes on", event, e);
            }
        }
    }
}
