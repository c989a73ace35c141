package dev.drydock.api;

/**
 * Input was refused before anything changed: a malformed configuration, an unknown type, a bad
 * attribute. Names the field and the rule it broke.
 */
public class InvalidRequestException extends DrydockException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidRequestException(String field, String problem) {
        super(field + ": " + problem);
        this.field = field;
    }

    /** The offending field, e.g. {@code config.root} or {@code resourceType}. */
    public String field() {
        return field;
    }
}
