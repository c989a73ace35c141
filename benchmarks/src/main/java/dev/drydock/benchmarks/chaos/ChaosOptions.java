package dev.drydock.benchmarks.chaos;

import java.time.Duration;
import java.util.List;

/**
 * What a chaos run does: how long clients lease, how many, against how many taskmasters, how often
 * the busiest taskmaster is killed, against a blueprint of how many resources of what capacity; and
 * whether the taskmasters' logs are kept when every invariant held (they always are when one did not).
 * Every value is checked here; {@link #parse} throws {@link IllegalArgumentException} naming the option.
 */
public record ChaosOptions(int seconds, int clients, int taskmasters, Duration killEvery, int limit, int capacity,
                           boolean restartDatabase, boolean keepLogs) {
    public ChaosOptions {
        check(seconds >= 20 && seconds <= 86_400, "--seconds must be 20 to 86400, got " + seconds);
        check(clients >= 1 && clients <= 1_000, "--clients must be 1 to 1000, got " + clients);
        check(taskmasters >= 2 && taskmasters <= 8, "--taskmasters must be 2 to 8 (one is killed at a time), got " + taskmasters);
        check(killEvery.toSeconds() >= 5 && killEvery.toSeconds() <= seconds, "--kill-every must be 5 s to the run's length, got "
                + killEvery.toSeconds() + " s");
        check(limit >= 1 && limit <= 100, "--limit must be 1 to 100, got " + limit);
        check(capacity >= 1 && capacity <= 100, "--capacity must be 1 to 100, got " + capacity);
    }

    /** The run the issue describes: 100 clients, two taskmasters, a kill every 25 s, 4 resources of 2 places. */
    public static ChaosOptions defaults(int seconds) {
        return new ChaosOptions(seconds, 100, 2, Duration.ofSeconds(25), 4, 2, true, false);
    }

    public static ChaosOptions parse(List<String> args) {
        ChaosOptions o = defaults(120);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            o = switch (arg) {
                case "--seconds" -> new ChaosOptions(number(args, ++i, arg), o.clients, o.taskmasters, o.killEvery, o.limit, o.capacity,
                        o.restartDatabase, o.keepLogs);
                case "--clients" -> new ChaosOptions(o.seconds, number(args, ++i, arg), o.taskmasters, o.killEvery, o.limit, o.capacity,
                        o.restartDatabase, o.keepLogs);
                case "--taskmasters" -> new ChaosOptions(o.seconds, o.clients, number(args, ++i, arg), o.killEvery, o.limit, o.capacity,
                        o.restartDatabase, o.keepLogs);
                case "--kill-every" -> new ChaosOptions(o.seconds, o.clients, o.taskmasters, Duration.ofSeconds(number(args, ++i, arg)),
                        o.limit, o.capacity, o.restartDatabase, o.keepLogs);
                case "--limit" -> new ChaosOptions(o.seconds, o.clients, o.taskmasters, o.killEvery, number(args, ++i, arg), o.capacity,
                        o.restartDatabase, o.keepLogs);
                case "--capacity" -> new ChaosOptions(o.seconds, o.clients, o.taskmasters, o.killEvery, o.limit, number(args, ++i, arg),
                        o.restartDatabase, o.keepLogs);
                case "--no-database-restart" -> new ChaosOptions(o.seconds, o.clients, o.taskmasters, o.killEvery, o.limit, o.capacity, false,
                        o.keepLogs);
                case "--keep-logs" -> new ChaosOptions(o.seconds, o.clients, o.taskmasters, o.killEvery, o.limit, o.capacity,
                        o.restartDatabase, true);
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            };
        }
        return o;
    }

    /** When the database is restarted: past the middle, away from the kills' moments. */
    public Duration restartAt() {
        return Duration.ofMillis(seconds * 600L + killEvery.toMillis() / 2);
    }

    private static int number(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        try {
            return Integer.parseInt(args.get(i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " takes a whole number, got '" + args.get(i) + "'");
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }
}
