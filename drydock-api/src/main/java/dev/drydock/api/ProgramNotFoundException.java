package dev.drydock.api;


/**
 * The program named by a command's first argument does not exist where it was looked for, so
 * nothing was started. An {@link InvalidRequestException} on the field {@code argv}.
 */
public class ProgramNotFoundException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;
    private final String program;

    public ProgramNotFoundException(String program, String where) {
        super("argv", "program '" + program + "' was not found " + where);
        this.program = program;
    }

    /** The program as the command named it. */
    public String program() {
        return program;
    }
}
