package dev.drydock.blueprint.workingcopy;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for a lease's {@code ref}: a branch, tag or commit as git names them (refs/heads/main,
 * main, v1.2, a commit id), and nothing that a command line could take for an option. Checked before
 * a lease is placed, so a malformed ref never reaches a host.
 */
final class RefName {
    /** The lease attribute that names what to check out. */
    static final String ATTRIBUTE = "ref";
    private static final Pattern FULL_COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
    private static final Pattern SHORT_COMMIT = Pattern.compile("[0-9a-f]{7,63}");
    private static final Pattern FORBIDDEN = Pattern.compile("[\\x00-\\x20\\x7f~^:?*\\[\\\\]");

    private RefName() {}

    static Optional<String> problem(String ref) {
        if (ref == null || ref.isEmpty()) {
            return Optional.of("a working-copy lease needs the attribute ref: the branch, tag or commit to check out, e.g. --attr ref=main");
        }
        if (ref.length() > 255) {
            return Optional.of("ref must be at most 255 characters, was " + ref.length());
        }
        if (ref.startsWith("-") || ref.startsWith("/") || ref.endsWith("/") || ref.endsWith(".") || ref.endsWith(".lock")
                || ref.contains("..") || ref.contains("//") || ref.contains("@{") || ref.equals("@") || FORBIDDEN.matcher(ref).find()) {
            return Optional.of("ref '" + printable(ref) + "' is not a branch, tag or commit name: it must not start with '-' or '/',"
                    + " nor contain spaces, '..', '//', '@{' or any of ~^:?*[\\");
        }
        return Optional.empty();
    }

    /** Whether {@code ref} is a whole commit id, fetched by id when the clone lacks it. */
    static boolean isFullCommit(String ref) {
        return FULL_COMMIT.matcher(ref).matches();
    }

    /** Whether {@code ref} may be a commit id, looked for in the clone before anything is fetched. */
    static boolean mayBeCommit(String ref) {
        return SHORT_COMMIT.matcher(ref).matches();
    }

    private static String printable(String ref) {
        return ref.replaceAll("[\\x00-\\x1f\\x7f]", "?");
    }
}
