package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A blueprint type's configuration fields are listed by the type itself, with no database needed. */
class BlueprintHelpTest {
    @TempDir
    static Path temp;

    @Test
    void createWithATypeAndHelpListsThatTypesFields() {
        Cli.Result local = InProcessCli.runExactly(List.of("blueprint", "create", "--type", "local-host", "--help"));
        assertThat(local.exitCode()).isZero();
        assertThat(local.stdout()).contains("--type", "--set")
                .contains("Configuration of local-host (builds host resources)")
                .contains("root", "required", "capacity", "(default 1)", "keepIdle", "attributes");

        Cli.Result remote = InProcessCli.runExactly(List.of("blueprint", "create", "--type", "remote-host", "--help"));
        assertThat(remote.stdout()).contains("hosts[].hostKey", "privateKey", "healthCheckSeconds");

        Cli.Result workingCopy = InProcessCli.runExactly(List.of("blueprint", "create", "--type", "working-copy", "--help"));
        assertThat(workingCopy.stdout()).contains("Configuration of working-copy (builds working-copy resources)")
                .contains("repository", "hostBlueprints", "cacheDirectory", "capacity", "keepIdleMinutes");

        Cli.Result webroot = InProcessCli.runExactly(List.of("blueprint", "create", "--type", "webroot", "--help"));
        assertThat(webroot.stdout()).contains("Configuration of webroot (builds webroot resources)")
                .contains("workingCopyBlueprints", "ports", "server", "readySeconds");
    }

    /** The fields are print()ed, not println()ed: a process of its own must still flush them before it exits. */
    @Test
    void aTypesFieldsReachTheOutputOfAProcessOfItsOwn() {
        Cli.Result own = new Cli("jdbc:postgresql://127.0.0.1:9/unused", temp).runInItsOwnJvm("blueprint", "create", "--type", "working-copy", "--help");
        assertThat(own.exitCode()).isZero();
        assertThat(own.stdout()).contains("Configuration of working-copy (builds working-copy resources)", "gitTimeoutMinutes");
    }

    @Test
    void helpWithoutATypeNamesTheTypesAndAnUnknownTypeIsBadInput() {
        Cli.Result plain = InProcessCli.runExactly(List.of("blueprint", "create", "--help"));
        assertThat(plain.exitCode()).isZero();
        assertThat(plain.stdout()).contains("local-host", "remote-host", "working-copy", "webroot");

        Cli.Result unknown = InProcessCli.runExactly(List.of("blueprint", "create", "--type", "nosuch", "--help"));
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.stderr()).contains("unknown blueprint type 'nosuch'", "local-host", "remote-host");
    }
}
