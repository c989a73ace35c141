package dev.drydock.cli.commands;

import java.io.PrintWriter;
import java.util.Objects;

/** A demo's progress: one line per step, stamped with the time since the demo began. */
final class DemoSteps {
    private final PrintWriter out;
    private final long start = System.nanoTime();

    DemoSteps(PrintWriter out) {
        this.out = Objects.requireNonNull(out, "out");
    }

    void step(String what) {
        out.printf("[%7.1f ms] %s%n", (System.nanoTime() - start) / 1e6, what);
        out.flush();
    }
}
