package dev.drydock.api;

import java.io.InputStream;
import java.io.OutputStream;

/**
 * Runs processes on the leased resource, in the lease's directory. Each call runs one process; a
 * timeout kills it and every process it started. A program that does not exist raises
 * {@link ProgramNotFoundException}, one that is a directory or not executable
 * {@link ProgramNotRunnableException}, and nothing is started.
 */
public non-sealed interface CommandInterface extends ResourceInterface {
    /** Runs to completion and collects its output in memory; for output of modest size. */
    CommandResult run(Command command);

    /**
     * Runs to completion while copying output to the given streams as it arrives, for long output.
     * The streams are not closed. The returned result has empty stdout and stderr.
     */
    default CommandResult stream(Command command, OutputStream stdout, OutputStream stderr) {
        return stream(command, InputStream.nullInputStream(), stdout, stderr);
    }

    /**
     * As {@link #stream(Command, OutputStream, OutputStream)}, and feeds the process's standard
     * input from {@code stdin} as it arrives (after the command's own {@link Command#stdin()} bytes),
     * sending end-of-file when {@code stdin} ends: {@code echo x | drydock-control exec ID -- cat}.
     * {@code stdin} is not closed; it may still be being read when the call returns, if the process
     * ended first.
     */
    CommandResult stream(Command command, InputStream stdin, OutputStream stdout, OutputStream stderr);
}
