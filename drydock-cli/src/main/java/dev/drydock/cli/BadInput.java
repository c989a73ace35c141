package dev.drydock.cli;

/** The user's input is wrong: reported with what to do, exit code 2, nothing changed. */
final class BadInput extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadInput(String message) {
        super(message);
    }
}
