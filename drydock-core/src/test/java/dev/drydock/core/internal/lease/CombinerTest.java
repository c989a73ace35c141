package dev.drydock.core.internal.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Callers on many threads at once: each gets its own item's outcome, every item runs exactly once,
 * items that come while a batch runs share the next one, and a failed batch is each caller's own
 * item again, alone.
 */
class CombinerTest {
    /** Every item the statements ran, in batches or alone, with the size of each run. */
    private final List<Integer> ran = Collections.synchronizedList(new ArrayList<>());
    private final List<Integer> batchSizes = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger alone = new AtomicInteger();

    private final Combiner<Integer, String> combiner = new Combiner<>(items -> {
        if (items.contains(-1)) {
            throw new IllegalArgumentException("the batch holds the poisoned item");
        }
        batchSizes.add(items.size());
        ran.addAll(items);
        pause(); // a statement takes a while: callers come meanwhile
        return items.stream().map(i -> "done " + i).toList();
    }, item -> {
        if (item == -1) {
            throw new IllegalArgumentException("item -1 is poisoned");
        }
        alone.incrementAndGet();
        ran.add(item);
        pause();
        return "done " + item;
    });

    @Test
    void aLoneCallerRunsItsItemAlone() {
        assertThat(combiner.submit(7)).isEqualTo("done 7");
        assertThat(combiner.submit(8)).isEqualTo("done 8");

        assertThat(batchSizes).isEmpty();
        assertThat(alone).hasValue(2);
    }

    @Test
    void callersAtOnceEachGetTheirOwnOutcomeAndEveryItemRunsOnce() throws Exception {
        int threads = 16;
        int each = 100;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ConcurrentHashMap<Integer, String> outcomes = new ConcurrentHashMap<>();
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> callers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int first = t * each;
            callers.add(pool.submit(() -> {
                start.await();
                for (int i = first; i < first + each; i++) {
                    outcomes.put(i, combiner.submit(i));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> caller : callers) {
            caller.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();

        assertThat(outcomes).hasSize(threads * each);
        outcomes.forEach((item, outcome) -> assertThat(outcome).isEqualTo("done " + item));
        assertThat(ran).as("each item ran exactly once").hasSize(threads * each).doesNotHaveDuplicates();
        assertThat(batchSizes).as("items that came while a statement ran shared the next one").isNotEmpty()
                .allMatch(size -> size >= 2 && size <= threads);
        assertThat(batchSizes.stream().mapToInt(Integer::intValue).sum() + alone.get()).isEqualTo(threads * each);
    }

    @Test
    void aFailedBatchRunsEachItemAloneAndFailsOnlyTheCallerWhoseItemFailed() throws Exception {
        // Hold a statement running so that the next items queue and meet in one batch.
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        Combiner<Integer, String> gated = new Combiner<>(items -> {
            batches.add(items);
            if (items.contains(-1)) {
                throw new IllegalArgumentException("the batch holds the poisoned item");
            }
            return items.stream().map(i -> "done " + i).toList();
        }, item -> {
            if (item == 0) {
                holding.countDown();
                await(release);
            }
            if (item == -1) {
                throw new IllegalArgumentException("item -1 is poisoned");
            }
            return "done " + item;
        });
        ExecutorService pool = Executors.newFixedThreadPool(4);
        Future<String> first = pool.submit(() -> gated.submit(0));
        holding.await();
        Future<String> good = pool.submit(() -> gated.submit(1));
        Future<String> poisoned = pool.submit(() -> gated.submit(-1));
        Future<String> alsoGood = pool.submit(() -> gated.submit(2));
        Thread.sleep(200); // all three queued behind the held statement
        release.countDown();

        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("done 0");
        assertThat(good.get(10, TimeUnit.SECONDS)).isEqualTo("done 1");
        assertThat(alsoGood.get(10, TimeUnit.SECONDS)).isEqualTo("done 2");
        assertThatThrownBy(() -> poisoned.get(10, TimeUnit.SECONDS)).cause()
                .isInstanceOf(IllegalArgumentException.class).hasMessage("item -1 is poisoned");
        assertThat(batches).as("the three queued items met in one batch, which failed").hasSize(1);
        assertThat(batches.get(0)).containsExactlyInAnyOrder(1, -1, 2);
        pool.shutdown();
        assertThat(gated.submit(3)).as("still serves callers afterwards").isEqualTo("done 3");
    }

    private static void pause() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
