package dev.drydock.blueprint.webroot;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.spi.AttributeNames;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.ConfigRange;
import java.util.ArrayList;
import java.util.List;

/** Everything wrong with a webroot configuration, read from the configuration alone. */
final class WebrootChecks {
    private WebrootChecks() {}

    static List<ConfigProblem> problems(WebrootConfig c) {
        List<ConfigProblem> problems = new ArrayList<>();
        names(problems, "hostBlueprints", c.hostBlueprintsOrAny());
        names(problems, "workingCopyBlueprints", c.workingCopyBlueprintsOrAny());
        AttributeNames.problems(c.hostAttributesOrNone()).forEach(p ->
                problems.add(new ConfigProblem("hostAttributes" + p.field().substring("attributes".length()), p.problem())));
        if (c.ports() != null && PortRange.parse(c.ports()).isEmpty()) {
            problems.add(new ConfigProblem("ports", "must be FIRST-LAST with ports from 1024 to 65535, FIRST at most LAST, was '"
                    + c.ports() + "' (default " + WebrootConfig.DEFAULT_PORTS + ")"));
        }
        if (c.address() != null && !Site.isIpLiteral(c.address())) {
            problems.add(new ConfigProblem("address", "must be an IP address such as 127.0.0.1 or ::1, was '" + c.address() + "'"));
        }
        if (c.server() != null) {
            try {
                ServerPreference.parse("server", c.server());
            } catch (InvalidRequestException e) {
                problems.add(new ConfigProblem("server", e.getMessage().substring("server: ".length())));
            }
        }
        ConfigRange.check("capacity", c.capacity(), 1, 1000, "leases per web root", WebrootConfig.DEFAULT_CAPACITY).ifPresent(problems::add);
        ConfigRange.check("readySeconds", c.readySeconds(), 1, 3600, "seconds", 30).ifPresent(problems::add);
        ConfigRange.check("keepIdleMinutes", c.keepIdleMinutes(), 0, 7 * 24 * 60, "minutes", 10).ifPresent(problems::add);
        return problems;
    }

    private static void names(List<ConfigProblem> problems, String field, List<String> names) {
        if (names.stream().anyMatch(b -> b == null || b.isBlank())) {
            problems.add(new ConfigProblem(field, "must list blueprint names, none of them empty"));
        }
    }
}
