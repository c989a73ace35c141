package dev.drydock.benchmarks.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A 30-second chaos run (docs/reliability.md): clients lease while the busiest of two
 * taskmasters is SIGKILLed every 9 s and the database restarts once, between two kills; afterwards
 * every invariant holds, and each kill's tasks were taken over by the surviving taskmaster well
 * inside the task lease (the figures themselves come from {@code bin/drydock-chaos}).
 */
class ChaosTest {
    @Test
    void everyInvariantHoldsThroughKillsAndADatabaseRestart() throws Exception {
        ChaosOptions options = new ChaosOptions(30, 30, 2, Duration.ofSeconds(9), 4, 2, true, false);

        ChaosResult result = new ChaosRun(options, System.out).run();
        String report = result.report();
        System.out.print(report);

        assertThat(result.invariantsHold()).as(report).isTrue();
        assertThat(result.kills()).as("taskmasters killed").hasSizeGreaterThanOrEqualTo(2);
        assertThat(result.kills()).as("kills whose tasks were taken over within 10 s, far inside the 30-s task lease")
                .allMatch(k -> k.takenOverAfter().compareTo(Duration.ofSeconds(10)) <= 0, report);
        assertThat(result.databaseDowntime()).as("the database was restarted").isPositive();
        assertThat(result.faults()).filteredOn(f -> f.fault().equals("database restart"))
                .as("leases served after the database restart").allMatch(f -> f.after().count() > 0);
        assertThat(result.leases() - result.brokenLeases()).as("leases that became active").isGreaterThan(50);
    }
}
