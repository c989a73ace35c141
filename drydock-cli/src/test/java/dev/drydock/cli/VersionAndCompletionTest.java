package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.TaskQueueSchema;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code version}, {@code completion}, and which commands a command line makes picocli build. */
@ExtendWith(PostgresExtension.class)
class VersionAndCompletionTest {
    @TempDir
    static Path temp;

    @Test
    void versionNamesTheBuildTheJavaAndTheSchemaOfAReachableDatabase(TestDatabase db) {
        Cli cli = new Cli(db, temp);
        assertThat(cli.run("migrate").exitCode()).isZero();
        Cli.Result version = cli.run("version");
        assertThat(version.exitCode()).as(version.stderr()).isZero();
        assertThat(version.stdout()).startsWith("drydock " + BuildInfo.version())
                .contains("java " + Runtime.version())
                .contains("database: reachable, schema drydock " + Drydock.SCHEMA_VERSION + ", task queue " + TaskQueueSchema.VERSION);
        assertThat(BuildInfo.version()).isNotEqualTo("unknown"); // build.properties is written by the build
        Cli.Result json = cli.run("version", "--json");
        assertThat(json.stdout()).contains("\"schema\" : {", "\"drydock\" : \"" + Drydock.SCHEMA_VERSION + "\"");
    }

    @Test
    void versionDoesNotFailNorStartAnythingWhenTheDatabaseIsNotThere() throws Exception {
        Cli.Result unreachable = new Cli("jdbc:postgresql://127.0.0.1:1/nothing?user=x&password=y", temp).run("version");
        assertThat(unreachable.exitCode()).as(unreachable.stderr()).isZero();
        assertThat(unreachable.stdout()).contains("database: not reachable (");

        Path home = Files.createTempDirectory(temp, "drydock-home");
        Cli.Result local = InProcessCli.local(home).run("version");
        assertThat(local.exitCode()).as(local.stderr()).isZero();
        assertThat(local.stdout()).contains("database: local database not running");
        assertThat(home.resolve("pgdata")).doesNotExist();
    }

    @Test
    void completionPrintsPicocliBashScriptForEveryCommand() {
        Cli.Result script = InProcessCli.runExactly(List.of("completion", "bash"));
        assertThat(script.exitCode()).as(script.stderr()).isZero();
        assertThat(script.stdout()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_drydock-control")
                .contains("status", "lease", "version", "completion", "--db");
        assertThat(InProcessCli.runExactly(List.of("completion", "fish")).exitCode()).isEqualTo(DrydockControl.BAD_INPUT);
    }

    @Test
    void onlyTheNamedCommandIsBuiltAndHelpOrMistakesGetThemAll() {
        assertThat(DrydockControl.commandNamed("status")).contains("status");
        assertThat(DrydockControl.commandNamed("--db", "jdbc:postgresql://h/d", "lease", "show", "1")).contains("lease");
        assertThat(DrydockControl.commandNamed("--db=jdbc:postgresql://h/d", "version")).contains("version");
        assertThat(DrydockControl.commandNamed("--help")).isEmpty();
        assertThat(DrydockControl.commandNamed("help", "status")).isEmpty();
        assertThat(DrydockControl.commandNamed("statsu")).isEmpty();
        assertThat(DrydockControl.commandNamed()).isEmpty();
        Cli.Result help = InProcessCli.runExactly(List.of("--help"));
        assertThat(help.stdout()).contains("status", "lease", "blueprint", "version", "completion", "db");
        Cli.Result typo = InProcessCli.runExactly(List.of("statsu"));
        assertThat(typo.exitCode()).isEqualTo(DrydockControl.BAD_INPUT);
        assertThat(typo.stderr()).contains("Did you mean").contains("status");
        assertThat(InProcessCli.runExactly(List.of("status", "--help")).stdout())
                .contains("--db").contains("--json");
    }
}
