package dev.drydock.blueprint.workingcopy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.Decision;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Configuration mistakes and malformed refs are named with the rule they break, before anything runs. */
class ConfigChecksTest {
    private final WorkingCopyBlueprint blueprint = new WorkingCopyBlueprint();

    private static WorkingCopyConfig config(String repository) {
        return new WorkingCopyConfig(repository, null, null, null, null, null, null, null, null, null, null);
    }

    @Test
    void aValidConfigurationHasNoProblems() {
        for (String url : List.of("file:///srv/git/app.git", "https://git.example.com/app.git", "ssh://git@git.example.com/app.git",
                "git@git.example.com:team/app.git")) {
            assertThat(blueprint.validate(config(url))).as(url).isEmpty();
        }
    }

    @Test
    void mistakesAreNamedWithTheirField() {
        assertThat(fields(config(null))).containsExactly("repository");
        assertThat(problems(config("https://user:hunter2@git.example.com/app.git"))).singleElement()
                .satisfies(p -> assertThat(p.problem()).contains("must not contain a password").doesNotContain("hunter2"));
        assertThat(fields(config("ftp://git.example.com/app.git"))).containsExactly("repository");
        assertThat(fields(new WorkingCopyConfig("file:///srv/app.git", "me", "plain-secret", "env:KEY", "x", List.of(""),
                Map.of("bad name", "v"), "../up", 0, -1, 0)))
                .containsExactlyInAnyOrder("cacheDirectory", "capacity", "keepIdleMinutes", "gitTimeoutMinutes", "hostBlueprints",
                        "hostAttributes", "password", "privateKey", "knownHosts", "username")
                .hasSize(10);
    }

    @Test
    void aLeaseMustNameAWellFormedRef() {
        WorkingCopyConfig c = config("file:///srv/git/app.git");
        assertThat(blueprint.meetsAttributes(c, Map.of("ref", "main"))).isEqualTo(Decision.yes());
        assertThat(blueprint.meetsAttributes(c, Map.of("ref", "refs/tags/v1.2", "repository", "file:///srv/git/app.git"))).isEqualTo(Decision.yes());
        assertThat(blueprint.meetsAttributes(c, Map.of())).isInstanceOf(Decision.No.class);
        for (String bad : List.of("-x", "a..b", "a b", "x.lock", "a:b", "a~1", "HEAD@{1}")) {
            assertThat(blueprint.meetsAttributes(c, Map.of("ref", bad))).as(bad).isInstanceOf(Decision.No.class);
        }
        assertThat(blueprint.meetsAttributes(c, Map.of("ref", "main", "repository", "file:///other.git"))).isInstanceOf(Decision.No.class);
    }

    private List<ConfigProblem> problems(WorkingCopyConfig c) {
        return blueprint.validate(c);
    }

    private List<String> fields(WorkingCopyConfig c) {
        return problems(c).stream().map(ConfigProblem::field).toList();
    }
}
