package dev.drydock.blueprint.workingcopy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The rule for a repository URL: a {@code file:}, {@code ssh:} or {@code https:} URL, or an SSH
 * address {@code USER@HOST:PATH}. A URL never holds a password, so it may be shown in every message
 * and stored as an attribute; a password is named by reference in the configuration instead.
 */
final class RepositoryUrl {
    /** The kinds of transport a working copy clones over, which decide the credentials it passes. */
    enum Kind { FILE, SSH, HTTPS }

    private static final Pattern SCP_LIKE = Pattern.compile("[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[^:].*");
    static final String EXAMPLES = "e.g. https://git.example.com/app.git, ssh://git@git.example.com/app.git or file:///srv/git/app.git";

    private RepositoryUrl() {}

    static Optional<String> problem(String url) {
        if (url == null || url.isBlank()) {
            return Optional.of("required: the repository to clone, " + EXAMPLES);
        }
        if (url.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            return Optional.of("must not contain spaces or control characters such as a newline");
        }
        if (url.startsWith("-")) {
            return Optional.of("must not start with '-', was '" + url + "'");
        }
        if (SCP_LIKE.matcher(url).matches()) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return Optional.of("is not a URL (" + e.getReason() + "), " + EXAMPLES);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (!scheme.equals("file") && !scheme.equals("ssh") && !scheme.equals("https")) {
            return Optional.of("must be a file:, ssh: or https: URL or USER@HOST:PATH, was '" + url + "'; " + EXAMPLES);
        }
        if (uri.getRawUserInfo() != null && uri.getRawUserInfo().contains(":")) {
            return Optional.of("must not contain a password; name it in 'password' by reference, e.g. env:GIT_TOKEN");
        }
        if (uri.getPath() == null || uri.getPath().isEmpty() || uri.getPath().equals("/")) {
            return Optional.of("names no repository path, was '" + url + "'; " + EXAMPLES);
        }
        return Optional.empty();
    }

    /** The transport of a valid URL. */
    static Kind kind(String url) {
        if (url.startsWith("file:")) {
            return Kind.FILE;
        }
        return url.startsWith("https:") ? Kind.HTTPS : Kind.SSH;
    }
}
