package dev.drydock.api;

/**
 * A secret reference could not be resolved: its scheme is unknown, or what it names is missing or
 * unreadable. The message names the reference and what to do, never a secret's value; thrown when a
 * blueprint is created or updated (which then stores nothing) or by a step that needs the secret.
 */
public class SecretUnavailableException extends InvalidRequestException {
    private static final long serialVersionUID = 1L;
    private final String reference;

    /**
     * @param reference the reference as written in the configuration (never the value)
     * @param problem   why it cannot be read, and what to do
     */
    public SecretUnavailableException(String reference, String problem) {
        super("secret", reference + " cannot be read: " + problem);
        this.reference = reference;
    }

    /** The reference as written in the configuration, e.g. {@code env:AWS_SECRET_ACCESS_KEY}. */
    public String reference() {
        return reference;
    }
}
