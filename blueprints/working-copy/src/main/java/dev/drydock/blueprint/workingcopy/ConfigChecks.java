package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.spi.AttributeNames;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.ConfigRange;
import java.util.ArrayList;
import java.util.List;

/** Everything wrong with a working-copy configuration, read from the configuration alone. */
final class ConfigChecks {
    private ConfigChecks() {}

    static List<ConfigProblem> problems(WorkingCopyConfig c) {
        List<ConfigProblem> problems = new ArrayList<>();
        RepositoryUrl.problem(c.repository()).ifPresent(p -> problems.add(new ConfigProblem("repository", p)));
        RelativePath.problem(c.cacheDirectoryOrDefault()).ifPresent(p -> problems.add(new ConfigProblem("cacheDirectory",
                p + " (default " + WorkingCopyConfig.DEFAULT_CACHE_DIRECTORY + ")")));
        ConfigRange.check("capacity", c.capacity(), 1, 1000, "checkouts per clone", WorkingCopyConfig.DEFAULT_CAPACITY).ifPresent(problems::add);
        ConfigRange.check("keepIdleMinutes", c.keepIdleMinutes(), 0, 7 * 24 * 60, "minutes", 60).ifPresent(problems::add);
        ConfigRange.check("gitTimeoutMinutes", c.gitTimeoutMinutes(), 1, 24 * 60, "minutes", 30).ifPresent(problems::add);
        if (c.hostBlueprintsOrAny().stream().anyMatch(b -> b == null || b.isBlank())) {
            problems.add(new ConfigProblem("hostBlueprints", "must list blueprint names, none of them empty"));
        }
        AttributeNames.problems(c.hostAttributesOrNone()).forEach(p ->
                problems.add(new ConfigProblem("hostAttributes" + p.field().substring("attributes".length()), p.problem())));
        boolean ssh = c.repository() != null && RepositoryUrl.problem(c.repository()).isEmpty()
                && RepositoryUrl.kind(c.repository()) == RepositoryUrl.Kind.SSH;
        boolean https = c.repository() != null && c.repository().startsWith("https:");
        reference(problems, "password", c.password(), https, "an HTTPS repository");
        reference(problems, "privateKey", c.privateKey(), ssh, "an SSH repository");
        if (c.knownHosts() != null && !ssh) {
            problems.add(new ConfigProblem("knownHosts", "is for an SSH repository only; remove it or use an ssh: URL"));
        }
        if (c.username() != null && !https) {
            problems.add(new ConfigProblem("username", "is for an HTTPS repository only; for SSH put the user in the URL"));
        }
        return problems;
    }

    private static void reference(List<ConfigProblem> problems, String field, String value, boolean applies, String what) {
        if (value == null) {
            return;
        }
        if (!applies) {
            problems.add(new ConfigProblem(field, "is for " + what + " only; remove it"));
        } else if (!value.contains(":") || value.startsWith(":")) {
            problems.add(new ConfigProblem(field, "must be a secret reference such as env:NAME or file:PATH, never the secret itself"));
        }
    }
}
