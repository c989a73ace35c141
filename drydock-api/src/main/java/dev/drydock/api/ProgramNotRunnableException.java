package dev.drydock.api;

/**
 * The program named by a command's first argument exists but cannot be run, because it is a
 * directory or is not executable; nothing was started. Unlike {@link ProgramNotFoundException}, the
 * fix is to change the file (for example {@code chmod +x}), not its name. An
 * {@link InvalidRequestException} on the field {@code argv}.
 */
public class ProgramNotRunnableException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;
    private final String program;

    /** @param why what is wrong with it, e.g. {@code "is a directory"} or {@code "is not executable"} */
    public ProgramNotRunnableException(String program, String why) {
        super("argv", "program '" + program + "' " + why);
        this.program = program;
    }

    /** The program as the command named it. */
    public String program() {
        return program;
    }
}
