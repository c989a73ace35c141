package dev.drydock.cli;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What must never reach a user's eyes: a library's class or package name, a stack trace, or SQL.
 * Each rule names what it found, so a failing test says which leak it was.
 */
final class MessageScan {
    private record Rule(String what, Pattern pattern) {}

    private static final List<Rule> RULES = List.of(
            new Rule("a library package", Pattern.compile("\\b(org\\.jdbi|com\\.fasterxml|org\\.postgresql|com\\.zaxxer|org\\.flywaydb|picocli\\.|net\\.schmizz|com\\.hierynomus)")),
            new Rule("a JDK class", Pattern.compile("\\bjava\\.(lang|io|nio|sql|util)\\.")),
            new Rule("an exception class name", Pattern.compile("\\b[A-Z][A-Za-z]+(Exception|Error)\\b")),
            new Rule("a stack trace", Pattern.compile("^\\s+at [a-z]", Pattern.MULTILINE)),
            new Rule("SQL", Pattern.compile("\\b(SELECT|INSERT INTO|UPDATE \\w+ SET|DELETE FROM|WHERE|RETURNING|SQLState|SQL state)\\b")),
            new Rule("a PostgreSQL error prefix", Pattern.compile("\\bERROR: ")),
            new Rule("a Jackson detail", Pattern.compile("FAIL_ON_|JsonToken|VALUE_(TRUE|FALSE|STRING|NUMBER)|ArrayNode|ObjectNode|\\[Source:")));

    private MessageScan() {}

    /** The first leak found in {@code text}, described, if any. */
    static Optional<String> leak(String text) {
        for (Rule rule : RULES) {
            var m = rule.pattern().matcher(text);
            if (m.find()) {
                return Optional.of(rule.what() + " ('" + m.group() + "')");
            }
        }
        return Optional.empty();
    }
}
