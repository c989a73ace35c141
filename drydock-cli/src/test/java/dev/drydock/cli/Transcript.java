package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The commands a test runs through {@link Cli}, each kept with all it printed (stdout, then
 * stderr), for a search at the end for what must never be printed: secrets.
 */
final class Transcript {
    private final Cli cli;
    private final Map<String, String> printed = new LinkedHashMap<>();

    Transcript(Cli cli) {
        this.cli = cli;
    }

    /** In a JVM of its own, so that its log lines are kept too. */
    Cli.Result inItsOwnJvm(String... args) {
        return kept(cli.runInItsOwnJvm(args), args);
    }

    /** In this JVM. */
    Cli.Result here(String... args) {
        return kept(cli.run(args), args);
    }

    /** Each command run so far and what it printed, by "#N drydock-control ARGS"; a copy the caller may add to. */
    Map<String, String> printed() {
        return new LinkedHashMap<>(printed);
    }

    private Cli.Result kept(Cli.Result result, String... args) {
        printed.put("#" + (printed.size() + 1) + " drydock-control " + String.join(" ", args), result.stdout() + "\n" + result.stderr());
        return result;
    }

    /** A private key file's tell-tales, by what they are: its PEM header, and each long line of its body. */
    static Map<String, String> privateKeySecrets(Path key) throws IOException {
        Map<String, String> secrets = new LinkedHashMap<>();
        secrets.put("a private key's PEM header", "PRIVATE KEY");
        List<String> pem = Files.readString(key).lines().toList();
        for (int i = 0; i < pem.size(); i++) {
            if (!pem.get(i).startsWith("-----") && pem.get(i).length() > 20) {
                secrets.put("line " + (i + 1) + " of the SSH private key", pem.get(i));
            }
        }
        assertThat(secrets).as("a key with a body").hasSizeGreaterThan(1);
        return secrets;
    }

    /**
     * Fails naming the places in {@code searched} where any of {@code secrets} shows: names only,
     * never the text around it, so a failure does not print the secret again.
     */
    static void assertNoneShows(Map<String, String> searched, Map<String, String> secrets) {
        secrets.forEach((what, secret) -> assertThat(searched.entrySet().stream().filter(e -> e.getValue().contains(secret))
                .map(Map.Entry::getKey).toList()).as("what shows %s", what).isEmpty());
    }
}
