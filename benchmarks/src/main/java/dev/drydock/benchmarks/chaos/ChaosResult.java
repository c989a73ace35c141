package dev.drydock.benchmarks.chaos;

import java.time.Duration;
import java.util.List;

/**
 * What a chaos run found: the invariants checked after it drained, the limits sampled during it,
 * each kill's take-over time, the waits around each fault, and the counts of what clients saw.
 */
public record ChaosResult(List<Invariants.Check> invariants, List<String> limitViolations, String limitSummary,
                          List<Taskmasters.Kill> kills, List<WaitFigures.AroundFault> faults, WaitFigures.Spread allWaits,
                          int leases, int brokenLeases, int refusedCalls, int orphanedLeases, Duration databaseDowntime) {
    /** The targets: a killed taskmaster's tasks are taken over within this. */
    public static final Duration TAKE_OVER_TARGET = Duration.ofSeconds(2);
    /** … and no lease waits more than this longer because of a kill. */
    public static final Duration EXTRA_WAIT_TARGET = Duration.ofSeconds(3);

    public boolean invariantsHold() {
        return limitViolations.isEmpty() && invariants.stream().allMatch(Invariants.Check::holds);
    }

    /** The slowest take-over of a killed taskmaster's tasks. */
    public Duration slowestTakeOver() {
        return kills.stream().map(Taskmasters.Kill::takenOverAfter).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    /** The most a kill added to the p99 wait. */
    public Duration mostExtraWaitAfterAKill() {
        return faults.stream().filter(f -> f.fault().startsWith("SIGKILL")).map(WaitFigures.AroundFault::extraP99)
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }

    public boolean waitTargetsMet() {
        return slowestTakeOver().compareTo(TAKE_OVER_TARGET) <= 0 && mostExtraWaitAfterAKill().compareTo(EXTRA_WAIT_TARGET) <= 0;
    }

    /** The report printed by {@code drydock-chaos}. */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append("Leases: ").append(leases).append(" made by clients, ").append(brokenLeases).append(" never became ACTIVE (broke); ")
                .append(refusedCalls).append(" calls refused while the database was down (tried again), ").append(orphanedLeases)
                .append(" lease(s) made by a call whose answer was lost (released by the run, as an operator would)\n");
        out.append("Database down for ").append(databaseDowntime.toMillis()).append(" ms (restart)\n");
        out.append("Limits: ").append(limitSummary).append(limitViolations.isEmpty() ? ", never exceeded" : "").append('\n');
        limitViolations.forEach(v -> out.append("  VIOLATED ").append(v).append('\n'));
        out.append("Waits (request to ACTIVE), all: ").append(allWaits).append('\n');
        for (Taskmasters.Kill k : kills) {
            out.append("SIGKILL ").append(k.name()).append(" at ").append(k.at()).append(": it ran ").append(k.tasksHeld())
                    .append(" task(s); all taken over after ").append(k.takenOverAfter().toMillis()).append(" ms\n");
        }
        for (WaitFigures.AroundFault f : faults) {
            out.append(f.fault()).append(": before ").append(f.before()).append("; after ").append(f.after())
                    .append("; p99 +").append(f.extraP99().toMillis()).append(" ms, max +").append(f.extraMax().toMillis()).append(" ms\n");
        }
        out.append("Invariants:\n");
        for (Invariants.Check c : invariants) {
            out.append(c.holds() ? "  holds: " : "  VIOLATED: ").append(c.name()).append('\n');
            c.problems().stream().limit(10).forEach(p -> out.append("    ").append(p).append('\n'));
        }
        out.append("Targets: slowest take-over ").append(slowestTakeOver().toMillis()).append(" ms (target ≤ ")
                .append(TAKE_OVER_TARGET.toMillis()).append("), most p99 wait added by a kill ").append(mostExtraWaitAfterAKill().toMillis())
                .append(" ms (target ≤ ").append(EXTRA_WAIT_TARGET.toMillis()).append("): ").append(waitTargetsMet() ? "met" : "NOT met").append('\n');
        out.append(invariantsHold() ? "Every invariant held.\n" : "AN INVARIANT WAS VIOLATED.\n");
        return out.toString();
    }
}
