package dev.drydock.core.internal.store;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs concurrent calls of one statement as one statement, the way a database combines commits
 * (group commit): a call that finds no batch in flight runs at once, alone, so a quiet system pays
 * nothing; calls that arrive while one is in flight queue up, and when it returns the first of
 * them runs everything queued by then (at most {@code maxBatch}) as one batch. The busier the
 * system, the larger the batches, and the fewer round trips per call.
 *
 * <p>The batch function must be all-or-nothing, as one autocommit statement is. If it throws for a
 * batch of several calls, each caller then runs its own call alone, so one bad input fails only
 * its own caller; a call that fails alone throws to its caller.
 *
 * @param <I> one call's input
 * @param <O> one call's result
 */
public final class Combiner<I, O> {
    private final Function<List<I>, List<O>> batch;
    private final int maxBatch;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Call> queued = new ArrayDeque<>();
    /** True from the moment a leader is chosen until the last one finds nothing queued. */
    private boolean leading;

    /** {@code batch} returns one result per input, in the inputs' order. */
    public Combiner(int maxBatch, Function<List<I>, List<O>> batch) {
        if (maxBatch < 1) {
            throw new IllegalArgumentException("maxBatch must be at least 1, was " + maxBatch);
        }
        this.maxBatch = maxBatch;
        this.batch = batch;
    }

    /** Runs {@code input}, alone or in a batch with concurrent calls, and returns its result. */
    public O call(I input) {
        Call mine = new Call(input, Thread.currentThread());
        boolean lead;
        lock.lock();
        try {
            queued.add(mine);
            lead = !leading;
            leading = true;
        } finally {
            lock.unlock();
        }
        if (!lead && mine.awaitTurn() != State.LEAD) {
            return mine.outcome();
        }
        runBatch();
        return mine.outcome();
    }

    /** As leader: runs what is queued (own call first), then hands leadership to the next queued call. */
    private void runBatch() {
        List<Call> calls = new ArrayList<>();
        lock.lock();
        try {
            for (Call c; calls.size() < maxBatch && (c = queued.poll()) != null; ) {
                calls.add(c);
            }
        } finally {
            lock.unlock();
        }
        try {
            List<O> results = batch.apply(calls.stream().map(Call::input).toList());
            if (results.size() != calls.size()) {
                throw new IllegalStateException("batch returned " + results.size() + " results for " + calls.size() + " inputs");
            }
            for (int i = 0; i < calls.size(); i++) {
                calls.get(i).finish(results.get(i), null);
            }
        } catch (RuntimeException | Error e) {
            if (calls.size() == 1) {
                calls.get(0).finish(null, e);
            } else {
                calls.forEach(c -> c.finish(null, RETRY_ALONE));
            }
        } finally {
            lock.lock();
            try {
                Call next = queued.peek();
                if (next == null) {
                    leading = false;
                } else {
                    next.promote();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Marks calls whose batch failed: each runs again alone. */
    private static final RuntimeException RETRY_ALONE = new RuntimeException("retry alone", null, false, false) { };

    private enum State { QUEUED, LEAD, DONE }

    private final class Call {
        private final I input;
        private final Thread thread;
        private volatile State state = State.QUEUED;
        private O result;
        private Throwable failure;

        Call(I input, Thread thread) {
            this.input = input;
            this.thread = thread;
        }

        I input() {
            return input;
        }

        /** Parks until the call is done or its caller must lead; keeps an interrupt for the caller. */
        State awaitTurn() {
            boolean interrupted = false;
            while (state == State.QUEUED) {
                LockSupport.park(this);
                // The statement may already be running for this call, so it cannot be abandoned.
                interrupted |= Thread.interrupted();
            }
            if (interrupted) {
                thread.interrupt();
            }
            return state;
        }

        void promote() {
            state = State.LEAD;
            LockSupport.unpark(thread);
        }

        void finish(O result, Throwable failure) {
            this.result = result;
            this.failure = failure;
            state = State.DONE; // volatile write publishes result and failure
            LockSupport.unpark(thread);
        }

        O outcome() {
            if (failure == RETRY_ALONE) {
                return batch.apply(List.of(input)).get(0);
            }
            if (failure instanceof RuntimeException e) {
                throw e;
            }
            if (failure instanceof Error e) {
                throw e;
            }
            return result;
        }
    }
}
