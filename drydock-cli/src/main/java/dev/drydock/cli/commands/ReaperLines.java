package dev.drydock.cli.commands;

import dev.drydock.core.Reapers;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What {@code status} says about the reapers: nothing while they have nothing to tell, else one
 * line of counts and a line per problem, e.g.
 * {@code reapers: 3 objects reaped (blueprint ec2-a: 3), 1 waiting for its second pass}.
 */
final class ReaperLines {
    private ReaperLines() {}

    static List<String> of(Reapers reapers) {
        if (reapers.isQuiet()) {
            return List.of();
        }
        List<String> parts = new ArrayList<>();
        long reaped = reapers.reaped();
        String byBlueprint = reapers.blueprints().stream().filter(b -> b.reaped() > 0)
                .map(b -> "blueprint " + b.name() + ": " + b.reaped()).collect(Collectors.joining(", "));
        parts.add(count(reaped, "object", "objects") + " reaped" + (byBlueprint.isEmpty() ? "" : " (" + byBlueprint + ")"));
        long waiting = reapers.waiting() - reapers.failing();
        if (waiting > 0) {
            parts.add(waiting + (waiting == 1 ? " waiting for its second pass" : " waiting for their second pass"));
        }
        if (reapers.failing() > 0) {
            parts.add(reapers.failing() + " failing to destroy (tried again each pass)");
        }
        List<String> lines = new ArrayList<>();
        lines.add("reapers: " + String.join(", ", parts));
        for (Reapers.Blueprint b : reapers.blueprints()) {
            b.errors().forEach(e -> lines.add("  blueprint " + b.name() + ": " + e));
        }
        return lines;
    }

    private static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }
}
