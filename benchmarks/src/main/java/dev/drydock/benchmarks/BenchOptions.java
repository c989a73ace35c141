package dev.drydock.benchmarks;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Command-line options shared by the benchmark modes ({@code root} is the lease mode's). */
record BenchOptions(int seconds, Optional<String> dbUrl, Optional<Path> root) {
    static BenchOptions parse(List<String> args) {
        int seconds = 10;
        String db = null;
        Path root = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--seconds" -> {
                    String value = value(args, ++i, arg);
                    try {
                        seconds = Integer.parseInt(value);
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("--seconds takes a whole number, got '" + value + "'");
                    }
                    if (seconds < 2 || seconds > 3600) {
                        throw new IllegalArgumentException("--seconds must be 2 to 3600, got " + seconds);
                    }
                }
                case "--db" -> db = value(args, ++i, arg);
                case "--root" -> {
                    String value = value(args, ++i, arg);
                    root = Path.of(value);
                    if (!root.isAbsolute()) {
                        throw new IllegalArgumentException("--root must be an absolute directory, got '" + value + "'");
                    }
                }
                default -> throw new IllegalArgumentException("unknown option '" + arg + "'");
            }
        }
        return new BenchOptions(seconds, Optional.ofNullable(db), Optional.ofNullable(root));
    }

    static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args.get(i);
    }
}
