package dev.drydock.core.internal.secrets;

import dev.drydock.api.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Resolves secret references. Configurations hold only references ({@code env:NAME},
 * {@code file:PATH}); values are read when needed and never logged or put in an exception.
 */
public final class Secrets {
    private Secrets() {}

    public static String resolve(String reference) {
        if (reference.startsWith("env:")) {
            String name = reference.substring(4);
            String value = System.getenv(name);
            if (value == null) {
                throw new InvalidRequestException("secret", "environment variable " + name + " (from " + reference + ") is not set");
            }
            return value;
        }
        if (reference.startsWith("file:")) {
            Path path = Path.of(reference.substring(5));
            try {
                return Files.readString(path, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new InvalidRequestException("secret", "cannot read " + path + " (from " + reference + "): " + e.getClass().getSimpleName());
            }
        }
        throw new InvalidRequestException("secret", "a secret must be a reference 'env:NAME' or 'file:PATH', never the value itself");
    }

    /** Whether {@code value} is a reference rather than an inline secret. */
    public static boolean isReference(String value) {
        return value.startsWith("env:") || value.startsWith("file:");
    }
}
