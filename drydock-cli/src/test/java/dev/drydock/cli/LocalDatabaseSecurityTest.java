package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.drydock.embedded.Endpoint;
import dev.drydock.embedded.LocalPostgres;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the security review did as another local user ({@code nobody}) against root's local database
 * no longer works: no login without the password, no reading the password files, no planting a
 * program in the binaries; and Drydock's own role cannot read or write the server's files.
 */
class LocalDatabaseSecurityTest {
    @TempDir
    static Path temp;

    private static HomeCli cli;
    private static Endpoint endpoint;

    @BeforeAll
    static void startTheHomeServer() throws Exception {
        assumeTrue(ProcessHandle.current().info().user().map("root"::equals).orElse(false),
                "runs only as root (as in CI): it switches to the user nobody with runuser");
        assertThat(Path.of("/usr/bin/psql")).as("psql from Debian's postgresql-client-15 (.ci/run installs it)").exists();
        Path home = temp.resolve("home");
        cli = new HomeCli(home);
        endpoint = LocalPostgres.in(home).ensureRunning(line -> { });
    }

    @AfterAll
    static void stopTheHomeServer() {
        if (cli != null) {
            cli.stopServer();
        }
    }

    @Test
    void nobodyCannotLogInAsTheSuperuserOrTheDrydockRoleWithoutThePassword() {
        for (String user : List.of("postgres", LocalPostgres.ROLE)) {
            Run noPassword = asNobody(Map.of(), "/usr/bin/psql", "-w", conninfo(user), "-c", "SELECT 1");
            assertThat(noPassword.exit()).as(noPassword.output()).isNotZero();
            assertThat(noPassword.output()).contains("no password supplied");

            Run guessed = asNobody(Map.of("PGPASSWORD", "postgres"), "/usr/bin/psql", "-w", conninfo(user), "-c", "SELECT 1");
            assertThat(guessed.exit()).as(guessed.output()).isNotZero();
            assertThat(guessed.output()).contains("password authentication failed for user \"" + user + "\"");
        }
    }

    @Test
    void nobodyCannotReadThePasswordFiles() {
        for (String file : List.of("db.password", "postgres-superuser.password")) {
            Path path = temp.resolve("home").resolve(file);
            Run read = asNobody(Map.of(), "cat", path.toString());
            assertThat(read.exit()).as(read.output()).isNotZero();
            assertThat(read.output()).contains("Permission denied").doesNotContain(cli.secret(file));
        }
    }

    @Test
    void nobodyCannotWriteIntoTheBinaries() throws IOException {
        Path bin = temp.resolve("home/postgres-" + LocalPostgres.in(temp.resolve("home")).version() + "/bin");
        assertThat(bin.resolve("postgres")).isExecutable();
        Run replace = asNobody(Map.of(), "cp", "/bin/true", bin.resolve("postgres").toString());
        assertThat(replace.exit()).as(replace.output()).isNotZero();
        Run plant = asNobody(Map.of(), "touch", bin.resolve("planted").toString());
        assertThat(plant.exit()).as(plant.output()).isNotZero();
        assertThat(bin.resolve("planted")).doesNotExist();
        assertThat(Files.size(bin.resolve("postgres"))).isGreaterThan(Files.size(Path.of("/bin/true")));
    }

    @Test
    void theDrydockRoleCanNeitherWriteNorReadServerFiles() throws Exception {
        Path target = temp.resolve("written-by-copy");
        try (Connection c = cli.connectAsDrydock(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("COPY (SELECT 'x') TO '" + target + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("pg_write_server_files");
            assertThatThrownBy(() -> s.execute("SELECT pg_read_file('" + temp.resolve("home/postgres-superuser.password") + "')"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("permission denied for function pg_read_file");
        }
        assertThat(target).doesNotExist();
        assertThat(endpoint.user()).isEqualTo(LocalPostgres.ROLE);
    }

    private static String conninfo(String user) {
        return "host=127.0.0.1 port=" + endpoint.port() + " user=" + user + " dbname=" + LocalPostgres.DATABASE;
    }

    record Run(int exit, String output) {}

    private static Run asNobody(Map<String, String> env, String... command) {
        List<String> full = new ArrayList<>(List.of("runuser", "-u", "nobody", "--"));
        full.addAll(List.of(command));
        try {
            Path output = Files.createTempFile(temp, "as-nobody", ".txt");
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).redirectOutput(output.toFile()).directory(Path.of("/").toFile());
            builder.environment().keySet().removeIf(k -> k.startsWith("PG"));
            builder.environment().putAll(env);
            Process p = builder.start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(full + " did not finish in 60 s");
            }
            return new Run(p.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new AssertionError("could not run " + full, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
