package dev.drydock.core.internal.lease;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Runs one statement for the items that callers on several threads submit at about the same time,
 * with no waiting added: a caller that finds no batch running runs one at once, with its own item
 * only; callers that come while a batch runs queue, and when it ends the first of them runs one
 * batch with everything queued meanwhile. So a lone caller runs exactly as it would alone, and under
 * load each statement carries what arrived during the previous one ("smart batching": the busier
 * the callers, the larger the batches, never a timer).
 *
 * <p>Every caller gets the outcome of its own item. When a batch of several items fails, nothing of
 * it was written (one statement), and each caller then runs its item {@code alone} on its own
 * thread, so one item's failure (or a deadlock between batches) is only that item's, and thrown
 * to its own caller. A caller runs at most one batch: the one holding its own item.
 *
 * <p>Thread-safe. Callers block while they wait; a wait is as long as the batch before theirs.
 *
 * @param <I> what a caller submits
 * @param <O> what the statement gives back for one item
 */
public final class Combiner<I, O> {
    private final Function<List<I>, List<O>> batch;
    private final Function<I, O> alone;
    private final ReentrantLock lock = new ReentrantLock();
    private final ArrayDeque<Slot<I, O>> queued = new ArrayDeque<>();
    private boolean running;

    /**
     * @param batch runs the statement for several items (at least two); returns one outcome per
     *              item, in the items' order
     * @param alone runs the statement for one item
     */
    public Combiner(Function<List<I>, List<O>> batch, Function<I, O> alone) {
        this.batch = Objects.requireNonNull(batch, "batch");
        this.alone = Objects.requireNonNull(alone, "alone");
    }

    /** Runs {@code item}, in a batch with others' when they come at once; returns or throws its own outcome. */
    public O submit(I item) {
        Slot<I, O> mine = new Slot<>(item);
        boolean lead;
        lock.lock();
        try {
            lead = !running;
            if (lead) {
                running = true;
            } else {
                queued.add(mine);
            }
        } finally {
            lock.unlock();
        }
        if (!lead) {
            Turn<O> turn = mine.turn.join();
            switch (turn) {
                case Turn.Done<O> done -> {
                    return done.outcome();
                }
                case Turn.Alone<O> ignored -> {
                    return alone.apply(item);
                }
                case Turn.Lead<O> ignored -> {
                    // the previous batch ended; this caller runs the next one
                }
            }
        }
        return lead(mine);
    }

    private O lead(Slot<I, O> mine) {
        List<Slot<I, O>> slots = new ArrayList<>();
        slots.add(mine);
        lock.lock();
        try {
            slots.addAll(queued);
            queued.clear();
        } finally {
            lock.unlock();
        }
        try {
            if (slots.size() == 1) {
                return alone.apply(mine.item);
            }
            List<O> outcomes;
            try {
                outcomes = batch.apply(slots.stream().map(s -> s.item).toList());
                if (outcomes.size() != slots.size()) {
                    throw new IllegalStateException("a batch of " + slots.size() + " items gave " + outcomes.size() + " outcomes");
                }
            } catch (RuntimeException e) {
                // Nothing of the batch was written: each item again on its caller's thread, alone.
                slots.subList(1, slots.size()).forEach(s -> s.turn.complete(new Turn.Alone<>()));
                return alone.apply(mine.item);
            } catch (Error e) {
                slots.subList(1, slots.size()).forEach(s -> s.turn.completeExceptionally(e));
                throw e;
            }
            for (int i = 1; i < slots.size(); i++) {
                slots.get(i).turn.complete(new Turn.Done<>(outcomes.get(i)));
            }
            return outcomes.get(0);
        } finally {
            handOver();
        }
    }

    /** The batch has ended: the first caller that queued meanwhile runs the next one, or none runs. */
    private void handOver() {
        lock.lock();
        try {
            Slot<I, O> next = queued.poll();
            if (next == null) {
                running = false;
            } else {
                next.turn.complete(new Turn.Lead<>());
            }
        } finally {
            lock.unlock();
        }
    }

    /** A queued item and what its caller is to do next. */
    private static final class Slot<I, O> {
        final I item;
        final CompletableFuture<Turn<O>> turn = new CompletableFuture<>();

        Slot(I item) {
            this.item = item;
        }
    }

    /** What a queued caller learns when its wait ends. */
    private sealed interface Turn<O> {
        /** Its item ran in another caller's batch. */
        record Done<O>(O outcome) implements Turn<O> {}

        /** The batch with its item failed: run it alone. */
        record Alone<O>() implements Turn<O> {}

        /** The batch before ended: run the next one. */
        record Lead<O>() implements Turn<O> {}
    }
}
