package dev.drydock.core.internal.secrets;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.SecretUnavailableException;
import dev.drydock.api.spi.SecretResolver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Resolves a reference by its scheme (the part before the first ':'): {@code env:} and
 * {@code file:} built in, others registered by the application. Errors name the reference, never a
 * value; something that is not a reference (a value pasted where a reference belongs) is not
 * quoted at all.
 */
public final class SecretSchemes implements SecretResolver {
    private static final Logger LOG = LoggerFactory.getLogger(SecretSchemes.class);
    private static final Map<String, SecretResolver> BUILT_IN = Map.of("env", SecretSchemes::env, "file", SecretSchemes::file);
    private final Map<String, SecretResolver> bySchemes;

    /** The built-in schemes and {@code custom} ones (scheme to resolver). */
    public SecretSchemes(Map<String, SecretResolver> custom) {
        Map<String, SecretResolver> all = new TreeMap<>(BUILT_IN);
        custom.forEach((scheme, resolver) -> {
            checkNew(scheme, all.keySet());
            all.put(scheme, Objects.requireNonNull(resolver, "resolver"));
        });
        this.bySchemes = Map.copyOf(all);
    }


    /** Refuses a scheme name that could not start a reference, or that a built-in scheme or one of {@code taken} has. */
    public static void checkNew(String scheme, java.util.Set<String> taken) {
        checkScheme(scheme);
        if (BUILT_IN.containsKey(scheme) || taken.contains(scheme)) {
            throw new InvalidRequestException("secretScheme", "scheme '" + scheme + "' is already taken (env and file are built in)");
        }
    }

    public static SecretSchemes builtIn() {
        return new SecretSchemes(Map.of());
    }

    /** Refuses a scheme name that could not start a reference. */
    private static void checkScheme(String scheme) {
        if (scheme == null || !SCHEME.matcher(scheme).matches()) {
            throw new InvalidRequestException("secretScheme", "must be 1 to 32 lower-case letters, digits, '+', '.' or '-',"
                    + " starting with a letter (as in vault:NAME), was '" + scheme + "'");
        }
    }

    @Override
    public boolean readsScheme(String reference) {
        int colon = reference == null ? -1 : reference.indexOf(':');
        return colon > 0 && bySchemes.containsKey(reference.substring(0, colon));
    }

    /** The schemes it reads, for messages. */
    public java.util.Set<String> schemes() {
        return new java.util.TreeSet<>(bySchemes.keySet());
    }

    @Override
    public String resolve(String reference) {
        Objects.requireNonNull(reference, "reference");
        int colon = reference.indexOf(':');
        SecretResolver resolver = colon > 0 ? bySchemes.get(reference.substring(0, colon)) : null;
        if (resolver == null) {
            // Not quoted: it may be the secret itself.
            throw new InvalidRequestException("secret", "a secret must be a reference " + String.join(":..., ", new TreeMap<>(bySchemes).keySet())
                    + ":..., never the value itself");
        }
        String value;
        try {
            value = resolver.resolve(reference);
        } catch (SecretUnavailableException e) {
            throw e;
        } catch (RuntimeException e) {
            // The resolver's own message may quote what it read: only the operator's log gets the exception.
            LOG.warn("the resolver of secret scheme {} failed for {}", reference.substring(0, colon), reference, e);
            throw new SecretUnavailableException(reference, "its resolver failed (the log of this process has the error)");
        }
        if (value == null) {
            throw new SecretUnavailableException(reference, "its resolver found nothing");
        }
        return value;
    }

    private static String env(String reference) {
        String name = reference.substring("env:".length());
        String value = System.getenv(name);
        if (value == null) {
            throw new SecretUnavailableException(reference, "environment variable " + name + " is not set; set it for every process"
                    + " that creates blueprints or runs a taskmaster");
        }
        return value;
    }

    private static String file(String reference) {
        Path path = Path.of(reference.substring("file:".length()));
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new SecretUnavailableException(reference, "file " + path + " does not exist");
        } catch (java.nio.file.AccessDeniedException e) {
            throw new SecretUnavailableException(reference, "this process may not read file " + path);
        } catch (IOException e) {
            throw new SecretUnavailableException(reference, "file " + path + " cannot be read as UTF-8 text");
        }
    }
}
