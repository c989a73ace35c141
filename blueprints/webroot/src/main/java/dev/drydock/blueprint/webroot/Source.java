package dev.drydock.blueprint.webroot;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a webroot lease serves, read from its attributes: a checkout of {@code repository} at
 * {@code ref} (a working-copy sub-lease), optionally only its directory {@code path}; or, with
 * neither, an empty directory of its own on the host.
 */
sealed interface Source {
    String REPOSITORY = "repository";
    String REF = "ref";
    String PATH = "path";

    /** A working copy's checkout, or the directory {@code path} within it ({@code ""} for all of it). */
    record Checkout(String repository, String ref, String path) implements Source {}

    /** A directory of the lease's own, which its holder fills. */
    record OwnDirectory() implements Source {}

    /**
     * The source a lease asks for, or why it cannot be served; {@code rest} receives the attributes
     * that are not about the source, for the blueprint's own matching.
     */
    static Parsed parse(Map<String, String> attributes) {
        Map<String, String> rest = new HashMap<>(attributes);
        String repository = rest.remove(REPOSITORY);
        String ref = rest.remove(REF);
        String path = rest.remove(PATH);
        if (repository == null && ref == null && path == null) {
            return new Parsed(Optional.of(new OwnDirectory()), Optional.empty(), rest);
        }
        if (repository == null || ref == null) {
            return new Parsed(Optional.empty(), Optional.of("a web root of a working copy needs both " + REPOSITORY + " and " + REF
                    + " (e.g. --attr repository=file:///srv/site.git --attr ref=main)" + (path != null ? "; " + PATH + " is a directory within it" : "")),
                    rest);
        }
        String within = path == null ? "" : path;
        Optional<String> problem = pathProblem(within);
        if (problem.isPresent()) {
            return new Parsed(Optional.empty(), problem, rest);
        }
        return new Parsed(Optional.of(new Checkout(repository, ref, within)), Optional.empty(), rest);
    }

    /** A lease's source, or the reason it has none; and its other attributes. */
    record Parsed(Optional<Source> source, Optional<String> problem, Map<String, String> rest) {}

    private static Optional<String> pathProblem(String path) {
        if (path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            return Optional.of(PATH + " must not contain control characters");
        }
        if (path.startsWith("/")) {
            return Optional.of(PATH + " must be a directory within the checkout, relative to it, was '" + path + "'");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of(PATH + " must not contain '..' segments: it stays within the checkout, was '" + path + "'");
            }
        }
        return Optional.empty();
    }
}
