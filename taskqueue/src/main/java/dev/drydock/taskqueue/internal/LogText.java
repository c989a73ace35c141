package dev.drydock.taskqueue.internal;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * What the taskmaster's log lines quote of a failure: one line, so an operator reads one line per
 * fault. A driver's report may go on over several lines (detail, hint, the statement's context) and a
 * handler's error may quote a whole statement; the first line says what failed.
 */
final class LogText {
    /** The server's severity in front of its report: the log line's own level says that. */
    private static final Pattern SEVERITY = Pattern.compile("^(FATAL|ERROR|PANIC): ");

    private LogText() {}

    /**
     * The deepest database error under {@code e} (a pool that gave up waiting hides the refused
     * connection under its own "timed out"): its first line and SQLSTATE.
     */
    static String reason(Throwable e) {
        Throwable deepest = e;
        int depth = 0;
        for (Throwable c = e.getCause(); c != null && depth < 16; c = c.getCause(), depth++) {
            if (c instanceof SQLException) {
                deepest = c;
            }
        }
        String state = deepest instanceof SQLException s && s.getSQLState() != null ? ", SQLSTATE " + s.getSQLState() : "";
        String message = deepest.getMessage();
        return (message == null || message.isBlank() ? deepest.getClass().getSimpleName() : SEVERITY.matcher(firstLine(message)).replaceFirst(""))
                + state;
    }

    /** {@code text} up to its first line break. */
    static String firstLine(String text) {
        int end = text.indexOf('\n');
        return (end < 0 ? text : text.substring(0, end)).strip();
    }
}
