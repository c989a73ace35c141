package dev.drydock.cli;

import dev.drydock.api.DrydockException;
import dev.drydock.api.FileNotFoundInLeaseException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.PathOutsideRootException;
import java.io.UncheckedIOException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

/**
 * Turns what stopped a command into one line on stderr and an exit code: 2 for bad input (nothing
 * changed), 1 for a failed operation. The line is Drydock's own message, or for a failure nobody
 * foresaw a plain sentence with a hint; never a library's class name or SQL. The stack trace is
 * logged at debug level only ({@code DRYDOCK_LOG_LEVEL=DEBUG}).
 */
final class FailureReport {
    private static final Logger log = LoggerFactory.getLogger(FailureReport.class);

    private FailureReport() {}

    /**
     * @param translate turns a database library's exception into Drydock's (see the core's
     *                  {@code DatabaseFailures}); anything else it returns unchanged
     */
    static int report(Exception e, CommandLine commandLine, UnaryOperator<RuntimeException> translate) {
        String name = commandLine.getCommandName();
        log.debug("{} stopped by", name, e);
        if (e instanceof BadInput || e instanceof InvalidRequestException || e instanceof LeaseNotFoundException
                || e instanceof PathOutsideRootException || e instanceof FileNotFoundInLeaseException
                || e instanceof CommandLine.ParameterException) {
            commandLine.getErr().println(name + ": " + e.getMessage());
            return DrydockControl.BAD_INPUT;
        }
        Exception failure = e instanceof RuntimeException r ? translate.apply(r) : e;
        if (failure instanceof DrydockException) {
            commandLine.getErr().println(name + ": " + failure.getMessage());
            return DrydockControl.FAILED;
        }
        commandLine.getErr().println(name + ": failed unexpectedly" + ownMessage(failure)
                + "; rerun with DRYDOCK_LOG_LEVEL=DEBUG to see the details");
        return DrydockControl.FAILED;
    }

    /**
     * The message of a standard exception that Drydock's own code threw with a message of its own
     * (such as the local database's "could not start ..."), which says more than "unexpectedly";
     * empty for anything else, whose message may name library classes or quote SQL.
     */
    private static String ownMessage(Exception e) {
        boolean standard = e instanceof IllegalStateException || e instanceof IllegalArgumentException || e instanceof UncheckedIOException;
        StackTraceElement[] trace = e.getStackTrace();
        boolean ours = trace.length > 0 && trace[0].getClassName().startsWith("dev.drydock.");
        return standard && ours && e.getMessage() != null ? ": " + e.getMessage() : "";
    }
}
