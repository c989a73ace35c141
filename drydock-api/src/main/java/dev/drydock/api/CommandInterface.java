package dev.drydock.api;

import java.io.OutputStream;

/**
 * Runs processes on the leased resource, in the lease's directory. Each call runs one process; a
 * timeout kills it and every process it started. A program that does not exist raises
 * {@link ProgramNotFoundException} and nothing is started.
 */
public non-sealed interface CommandInterface extends ResourceInterface {
    /** Runs to completion and collects its output in memory; for output of modest size. */
    CommandResult run(Command command);

    /**
     * Runs to completion while copying output to the given streams as it arrives, for long output.
     * The streams are not closed. The returned result has empty stdout and stderr.
     */
    CommandResult stream(Command command, OutputStream stdout, OutputStream stderr);
}
