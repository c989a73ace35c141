package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshHost;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leasing from a pool of three real OpenSSH hosts through the daemon and the commands, as typed. The
 * commands run in this JVM, except those whose whole output is searched for key material below and
 * an exec, whose program's output is the process's own: those run in JVMs of their own.
 */
@ExtendWith(PostgresExtension.class)
class RemoteHostCliTest {
    @TempDir
    static Path temp;

    @Test
    void leaseExecAndFilesOnAPoolOfThreeSshHosts(TestDatabase db) throws Exception {
        List<SshHost> hosts = new ArrayList<>();
        Process daemon = null;
        try {
            for (int i = 0; i < 3; i++) {
                hosts.add(SshHost.start());
            }
            Path remoteRoot = Files.createTempDirectory(temp, "cli-remote");
            Path pool = Files.writeString(Files.createTempFile(temp, "pool", ".json"), "{\"hosts\": ["
                    + java.util.stream.IntStream.range(0, 3).mapToObj(i -> hostJson(i, hosts.get(i))).collect(Collectors.joining(", "))
                    + "], \"capacity\": 2, \"root\": \"" + remoteRoot + "\"}");
            Cli cli = new Cli(db, temp);
            Cli.Result created = cli.run("blueprint", "create", "--type", "remote-host", "--name", "farm", "--config", pool.toString(),
                    "--limit", "3");
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            Path log = Files.createTempFile(temp, "remote-daemon", ".log");
            daemon = cli.runningDaemon(log);

            Cli.Result leased = cli.runInItsOwnJvm("lease", "--type", "host", "--blueprint", "farm", "--json");
            assertThat(leased.exitCode()).as(leased.stderr()).isZero();
            String id = Long.toString(Cli.jsonLong(leased.stdout(), "id"));

            Cli.Result exec = cli.runInItsOwnJvm("exec", id, "--", "sh", "-c", "echo \"$0 $1\"; pwd; exit 7", "quoted 'arg'", "$HOME");
            assertThat(exec.exitCode()).isEqualTo(7);
            assertThat(exec.stdout()).startsWith("quoted 'arg' $HOME\n").contains(remoteRoot.toString());

            Path local = Files.writeString(Files.createTempFile(temp, "put", ".txt"), "over sftp\n");
            Path back = Files.createTempDirectory(temp, "get").resolve("back.txt");
            assertThat(cli.run("fs", id, "put", local.toString(), "sub/file.txt").exitCode()).isZero();
            assertThat(cli.run("fs", id, "get", "sub/file.txt", back.toString()).exitCode()).isZero();
            assertThat(back).hasSameTextualContentAs(local);
            assertThat(cli.run("fs", id, "get", "../../etc/passwd", back.toString()).exitCode()).as("escape refused").isEqualTo(2);

            Cli.Result resources = cli.run("resource", "list", "--json");
            assertThat(resources.stdout()).contains("\"os\" : \"Linux").contains("\"cores\"").contains("\"drydock.slot\" : \"h");

            assertThat(cli.run("release", id).exitCode()).isZero();
            Await.until("the lease is cleaned up", Duration.ofSeconds(60),
                    () -> Cli.jsonString(cli.run("lease", "show", id, "--json").stdout(), "status").equals("DESTROYED"));
            Cli.Result logs = cli.run("logs", "--lease", id);

            String everything = String.join("\n", leased.stdout(), leased.stderr(), exec.stdout(), exec.stderr(), resources.stdout(),
                    logs.stdout(), cli.run("blueprint", "show", "farm").stdout(), Files.readString(log));
            for (SshHost h : hosts) {
                h.userPrivateKeyPem().lines().filter(l -> !l.startsWith("-----") && l.length() > 20)
                        .forEach(secret -> assertThat(everything).doesNotContain(secret));
            }
            assertThat(everything).doesNotContain("PRIVATE KEY");
        } finally {
            if (daemon != null) {
                daemon.destroy();
                daemon.waitFor();
            }
            hosts.forEach(SshHost::close);
        }
    }

    private static String hostJson(int i, SshHost h) {
        return "{\"name\": \"h" + i + "\", \"address\": \"" + h.host() + "\", \"port\": " + h.port() + ", \"user\": \"" + h.user()
                + "\", \"hostKey\": \"" + h.hostKeyLine() + "\", \"privateKey\": \"file:" + h.userPrivateKeyPath() + "\"}";
    }
}
