package dev.drydock.core;

import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;

/**
 * The Drydock and taskmaster the engine tests build: failed steps retried within 300 ms (so a
 * test sees several tries in a second), and a taskmaster that polls every 100 ms.
 */
final class TestDrydocks {
    private TestDrydocks() {}

    static Drydock with(TestDatabase db, BlueprintImplementation<?>... blueprints) {
        Drydock.Builder builder = Drydock.builder(db.dataSource()).stepRetryCap(Duration.ofMillis(300));
        for (BlueprintImplementation<?> b : blueprints) {
            builder.register(b);
        }
        return builder.build();
    }

    static Taskmaster taskmaster(Drydock drydock, int threads) {
        return drydock.taskmaster().threads(threads).pollInterval(Duration.ofMillis(100)).build().start();
    }
}
