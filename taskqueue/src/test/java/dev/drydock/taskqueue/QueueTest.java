package dev.drydock.taskqueue;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Base of the queue tests that share one database per class: {@link #fx} is the class's migrated
 * queue, and the taskmasters a test started are closed after it. Tests use kinds of their own,
 * so what one leaves in the queue is not another's work.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class QueueTest {
    QueueFixture fx;

    @BeforeAll
    void openQueue(TestDatabase db) {
        fx = new QueueFixture(db);
    }

    @AfterEach
    void stopTaskmasters() {
        fx.close();
    }
}
