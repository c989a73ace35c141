package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.spi.LeaseContext;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Closing a Drydock closes each blueprint implementation registered on it, once, even when one fails to close. */
@ExtendWith(PostgresExtension.class)
class BlueprintCloseTest {

    @Test
    void closingDrydockClosesEveryRegisteredBlueprintOnce(TestDatabase db) {
        Closing quiet = new Closing("quiet-box", false);
        Closing failing = new Closing("failing-box", true);
        Drydock drydock = Drydock.builder(db.dataSource()).register(failing).register(quiet).build();

        drydock.close();

        assertThat(failing.closed).as("the one that throws was closed").hasValue(1);
        assertThat(quiet.closed).as("and its failure did not stop the other").hasValue(1);
    }

    /** Holds a client in real life; here counts how often it is closed. */
    private static final class Closing extends CapacityBlueprint {
        final AtomicInteger closed = new AtomicInteger();
        private final boolean fails;

        Closing(String type, boolean fails) {
            super(type, type);
            this.fails = fails;
        }

        @Override
        public Progress acquireLease(Config config, ResourceContext resource, LeaseContext lease) {
            return Progress.done();
        }

        @Override
        public void close() {
            closed.incrementAndGet();
            if (fails) {
                throw new IllegalStateException("client already gone");
            }
        }
    }
}
