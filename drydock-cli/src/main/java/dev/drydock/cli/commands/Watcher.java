package dev.drydock.cli.commands;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.function.Consumer;

/**
 * What {@code --watch} does for a command that shows a view: prints it, then waits for a change
 * (the database's notifications: a long-poll, not a fixed poll) and prints it again only if it
 * reads differently, each time under a line with the time, until Ctrl-C or until nothing more can
 * change. Appended rather than redrawn, so its output can be piped and kept.
 */
final class Watcher {
    /** Waits for the next possible change. */
    @FunctionalInterface
    interface NextChange {
        /** @return false when the view can no longer change (the watch ends) */
        boolean await() throws InterruptedException;
    }

    private Watcher() {}

    /** The view as it reads now. */
    static String render(Consumer<PrintWriter> view) {
        StringWriter text = new StringWriter();
        try (PrintWriter out = new PrintWriter(text)) {
            view.accept(out);
        }
        return text.toString();
    }

    /** Shows {@code view} and again after every change that alters it; returns 0 when done, 130 when interrupted. */
    static int watch(PrintWriter out, Consumer<PrintWriter> view, NextChange next) {
        String shown = null;
        try {
            while (true) {
                String now = render(view);
                if (!now.equals(shown)) {
                    out.println("[" + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + "]");
                    out.print(now);
                    out.flush();
                    shown = now;
                }
                if (!next.await()) {
                    return 0;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    /** Waits for a change of any lease, or {@code refresh} for what changes without one (a taskmaster's heartbeat). */
    static NextChange anyLease(dev.drydock.core.LeaseChangeWatch changes, Duration refresh) {
        return () -> {
            changes.await(refresh);
            return true;
        };
    }
}
