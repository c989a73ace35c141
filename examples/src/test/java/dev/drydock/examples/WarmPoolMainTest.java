package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@link WarmPoolMain} on a test database and checks what the planner said at each step. */
@ExtendWith(PostgresExtension.class)
class WarmPoolMainTest {
    @Test
    void aLeaseTakesAWarmSlotAndThePlannerRefillsThePool(TestDatabase db, @TempDir Path root) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        WarmPoolMain.run(db.dataSource(), root, new PrintStream(buffer, true, UTF_8));

        assertThat(buffer.toString(UTF_8))
                .containsPattern("planner: example-warm-\\w+: 2 of 2 ready idle, building 0")
                .containsPattern("lease \\d+ active on warm slot \\d+ in \\d+ ms")
                .containsPattern("planner: example-warm-\\w+: 1 of 2 ready idle, building 1")
                .contains("pool ended");
    }
}
