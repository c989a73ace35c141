package dev.drydock.benchmarks.chaos;

import java.util.List;

/**
 * {@code drydock-chaos [--seconds N] [--clients N] [--taskmasters N] [--kill-every S] [--limit N]
 * [--capacity N] [--no-database-restart] [--keep-logs]}: runs {@link ChaosRun} and prints its
 * report. Exits 0 when every invariant held, 1 when one did not or the run failed, 2 on bad options.
 * The taskmasters' logs are deleted after a run whose invariants held, unless {@code --keep-logs}.
 */
public final class ChaosMain {
    private ChaosMain() {}

    public static void main(String[] args) {
        ChaosOptions options;
        try {
            options = ChaosOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("drydock-chaos: " + e.getMessage());
            System.err.println("usage: drydock-chaos [--seconds N] [--clients N] [--taskmasters N] [--kill-every SECONDS] [--limit N]"
                    + " [--capacity N] [--no-database-restart] [--keep-logs]");
            System.exit(2);
            return;
        }
        try {
            ChaosResult result = new ChaosRun(options, System.out).run();
            System.out.print(result.report());
            System.exit(result.invariantsHold() ? 0 : 1);
        } catch (Exception e) {
            System.err.println("drydock-chaos: the run failed: " + e.getMessage());
            System.exit(1);
        }
    }
}
