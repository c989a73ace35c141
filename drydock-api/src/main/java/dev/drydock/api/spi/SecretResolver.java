package dev.drydock.api.spi;

/**
 * Turns a secret reference into its value. Configurations hold only references
 * ({@code env:NAME}, {@code file:PATH}, or a scheme an application registered with
 * {@code Drydock.Builder.secretScheme}); values are read when a step needs them.
 *
 * <p>The engine hands every blueprint step one ({@link ResourceContext#secret}) and
 * {@link BlueprintImplementation#validate(Record, SecretResolver)} one, so a blueprint can check
 * that its credentials exist when it is created. An implementation registered for a scheme is
 * given the whole reference (scheme included), must be thread-safe, and must never put the value
 * in an exception or a log line.
 */
@FunctionalInterface
public interface SecretResolver {
    /** What a scheme's name is: a lower-case letter, then up to 31 of letters, digits, '+', '.', '-'. */
    java.util.regex.Pattern SCHEME = java.util.regex.Pattern.compile("[a-z][a-z0-9+.-]{0,31}");
    /** {@link #isReference}'s form. */
    java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile(SCHEME.pattern() + ":\\S.*");

    /**
     * Whether {@code value} has the form of a reference, {@code scheme:rest} on one line with a
     * non-blank start of {@code rest} (key material such as {@code -----BEGIN ...} has not), whatever the scheme.
     */
    static boolean isReference(String value) {
        return value != null && REFERENCE.matcher(value).matches();
    }

    /**
     * The secret's value.
     *
     * @throws dev.drydock.api.SecretUnavailableException the reference names no secret that can be
     *         read now; the message names the reference and why, never a value
     */
    String resolve(String reference);

    /**
     * Whether {@code reference} is in a scheme this resolver reads (it may still fail to read it
     * now, or on another machine); for {@code validate}, to refuse a scheme nobody registered
     * without reading the secret. Default: any reference ({@link #isReference}).
     */
    default boolean readsScheme(String reference) {
        return isReference(reference);
    }
}
