package dev.drydock.cli;

import dev.drydock.testing.TestDatabase;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs drydock-control in this JVM, as its main would, with captured output: for the many short
 * commands of the bad-input suite, where a JVM per command would cost more than the suite's asserts.
 */
final class InProcessCli {
    private final TestDatabase db;

    InProcessCli(TestDatabase db) {
        this.db = db;
    }

    record Result(int exitCode, String stdout, String stderr) {}

    /** Runs against the test database (prepends {@code --db}). */
    Result run(List<String> args) {
        List<String> all = new ArrayList<>(List.of("--db", db.jdbcUrlWithCredentials()));
        all.addAll(args);
        return runExactly(all);
    }

    /** Runs the arguments as given. */
    static Result runExactly(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out, true); PrintWriter e = new PrintWriter(err, true)) {
            code = DrydockControl.execute(o, e, args.toArray(String[]::new));
        }
        return new Result(code, out.toString(), err.toString());
    }
}
