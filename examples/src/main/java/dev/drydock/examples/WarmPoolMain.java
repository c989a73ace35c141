package dev.drydock.examples;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.WarmPoolInfo;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * A warm pool: a {@code local-host} blueprint whose slots take a second to build keeps two idle and
 * ready, so a lease is active at once instead of waiting for a build; the planner builds the
 * replacement as soon as the lease takes one, and says what it wants. Database as in
 * {@link LeaseHostMain}.
 */
public final class WarmPoolMain {
    private WarmPoolMain() {}

    public static void main(String[] args) throws IOException {
        Path root = Files.createTempDirectory("drydock-example-warm");
        ExampleDatabase.use(dataSource -> run(dataSource, root, System.out));
    }

    /** Sets up the pool, waits until it is met, leases a slot from it, and prints what the planner says at each step. */
    public static void run(DataSource dataSource, Path root, PrintStream out) {
        String blueprint = "example-warm-" + Long.toString(System.currentTimeMillis(), 36);
        try (Drydock drydock = Drydock.builder(dataSource).register(new LocalHostBlueprint()).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(4).build().start()) {
            drydock.blueprints().create(blueprint, LocalHostBlueprint.TYPE,
                    "{\"root\": \"" + root + "\", \"buildDelaySeconds\": 1, \"keepIdle\": false}", 4);
            drydock.blueprints().setWarmPool(blueprint, Map.of(), 2, Optional.of(Duration.ofHours(1)));
            out.println("blueprint " + blueprint + ": keep 2 slots idle and ready (each build takes 1 s)");
            out.println("planner: " + until(drydock, blueprint, "2 of 2 ready idle").status());

            long started = System.nanoTime();
            try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build())) {
                lease.await(Duration.ofSeconds(60));
                out.printf("lease %d active on warm slot %d in %d ms%n", lease.id(), lease.info().resourceId().orElseThrow(),
                        Duration.ofNanos(System.nanoTime() - started).toMillis());
                out.println("planner: " + until(drydock, blueprint, "building 1").status());
            }
            out.println("planner: " + until(drydock, blueprint, "2 of 2 ready idle").status());
            drydock.blueprints().setWarmPool(blueprint, Map.of(), 0, Optional.empty());
            out.println("pool ended: the slots it built and no lease used are retired");
        }
    }

    private static WarmPoolInfo until(Drydock drydock, String blueprint, String says) {
        long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            WarmPoolInfo pool = drydock.blueprints().warmPools(blueprint).getFirst();
            if (pool.status().contains(says) || System.nanoTime() > end) {
                return pool;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return pool;
            }
        }
    }
}
