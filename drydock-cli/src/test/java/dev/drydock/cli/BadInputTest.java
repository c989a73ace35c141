package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.blueprint.remotehost.RemoteHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Bad input, command by command: each case is refused with its exit code and a message that names
 * what was wrong, leaks no library name or SQL, and leaves every table's rows as they were.
 */
@ExtendWith(PostgresExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BadInputTest {
    private static final int BAD = 2;
    private static final int FAILED = 1;

    @TempDir
    static Path temp;

    private Cli cli;
    private TestDatabase db;
    private Drydock drydock;
    private Lease lease;
    private long resource;
    private Path root;
    private Path files;

    @BeforeAll
    void holdOneLease(TestDatabase database) throws Exception {
        db = database;
        cli = new Cli(db, temp);
        root = Files.createTempDirectory(temp, "bad-input-hosts");
        files = Files.createTempDirectory(temp, "bad-input-files");
        drydock = Drydock.builder(db.dataSource()).register(new LocalHostBlueprint()).register(new RemoteHostBlueprint()).build();
        drydock.blueprints().create("hosts", "local-host", "{\"root\": \"" + root + "\", \"capacity\": 2}", 2);
        try (Taskmaster taskmaster = drydock.taskmaster().threads(2).build().start()) {
            lease = drydock.allocator().acquire(LeaseRequest.builder("host").build()).await(Duration.ofSeconds(60));
        }
        resource = lease.info().resourceId().orElseThrow();
    }

    @AfterAll
    void close() {
        drydock.close();
    }

    record Case(String name, List<String> args, int exitCode, List<String> words) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Case> cases() throws Exception {
        String l = Long.toString(lease.id());
        String r = Long.toString(resource);
        Path local = Files.writeString(files.resolve("local.txt"), "x");
        Path notJson = Files.writeString(files.resolve("not.json"), "root: /tmp");
        Path array = Files.writeString(files.resolve("array.json"), "[1, 2]");
        Path duplicate = Files.writeString(files.resolve("duplicate.json"), "{\"root\": \"/tmp/a\", \"root\": \"/tmp/b\"}");
        Path jsonNull = Files.writeString(files.resolve("null.json"), "null");
        Path empty = Files.writeString(files.resolve("empty.json"), "");
        Path trailing = Files.writeString(files.resolve("trailing.json"), "{\"root\": \"/tmp/a\"} {");
        String hostKey = "127.0.0.1 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl";
        List<Case> all = new ArrayList<>();
        // the command line itself
        all.add(new Case("no command", List.of(), BAD, List.of("command")));
        all.add(new Case("unknown command", List.of("frobnicate"), BAD, List.of("frobnicate")));
        all.add(new Case("status with an unknown option", List.of("status", "--bogus"), BAD, List.of("--bogus")));
        all.add(new Case("migrate with an argument", List.of("migrate", "extra"), BAD, List.of("extra")));
        all.add(new Case("demo with an argument", List.of("demo", "extra"), BAD, List.of("extra")));
        all.add(new Case("demo sandcastle with an argument", List.of("demo", "sandcastle", "extra"), BAD, List.of("extra")));
        all.add(new Case("status with an argument", List.of("status", "extra"), BAD, List.of("extra")));
        // blueprint create: the command's own options
        all.add(new Case("create without type and name", List.of("blueprint", "create"), BAD, List.of("--type")));
        all.add(new Case("create without name", List.of("blueprint", "create", "--type", "local-host"), BAD, List.of("--name")));
        all.add(new Case("create of an unknown type", create("nosuch", "x", "root=/tmp/x"), BAD, List.of("nosuch", "local-host", "remote-host")));
        for (String name : List.of("Bad", "1abc", "a_b", "a".repeat(64), "-x", "a b")) {
            all.add(new Case("create named '" + name + "'", create("local-host", name, "root=/tmp/x"), BAD, List.of("name")));
        }
        all.add(new Case("create with an empty name", create("local-host", "", "root=/tmp/x"), BAD, List.of("name")));
        all.add(new Case("create with a name taken", create("local-host", "hosts", "root=/tmp/x"), BAD, List.of("already exists")));
        for (String limit : List.of("-1", "1000001", "abc", "1.5", "99999999999")) {
            List<String> args = new ArrayList<>(create("local-host", "limited", "root=/tmp/x"));
            args.addAll(List.of("--limit", limit));
            all.add(new Case("create with limit " + limit, args, BAD, List.of("limit")));
        }
        List<String> placed = new ArrayList<>(create("local-host", "placed", "root=/tmp/x"));
        placed.addAll(List.of("--placement", "nearest"));
        all.add(new Case("create with an unknown placement", placed, BAD, List.of("placement", "'nearest'", "binpack, spread")));
        all.add(new Case("--set without '='", create("local-host", "x", "noequals"), BAD, List.of("KEY=VALUE")));
        all.add(new Case("--set without a key", create("local-host", "x", "=value"), BAD, List.of("KEY=VALUE")));
        // blueprint warm-pool
        all.add(new Case("warm-pool without --min-ready", List.of("blueprint", "warm-pool", "hosts"), BAD, List.of("--min-ready")));
        all.add(new Case("warm-pool of no blueprint", List.of("blueprint", "warm-pool", "nosuch", "--min-ready", "1"), BAD, List.of("nosuch")));
        all.add(new Case("warm-pool with a negative minReady", List.of("blueprint", "warm-pool", "hosts", "--min-ready", "-1"), BAD,
                List.of("minReady")));
        all.add(new Case("warm-pool with minReady past its cap", List.of("blueprint", "warm-pool", "hosts", "--min-ready", "10001"), BAD,
                List.of("minReady")));
        all.add(new Case("warm-pool with a bad age", List.of("blueprint", "warm-pool", "hosts", "--min-ready", "1", "--max-ready-age", "soon"),
                BAD, List.of("--max-ready-age")));
        all.add(new Case("warm-pool with an age under a second", List.of("blueprint", "warm-pool", "hosts", "--min-ready", "1",
                "--max-ready-age", "10ms"), BAD, List.of("maxReadyAge")));
        all.add(new Case("warm-pool with attributes no slot has", List.of("blueprint", "warm-pool", "hosts", "--min-ready", "1",
                "--attr", "os=plan9"), BAD, List.of("attributes")));
        // local-host configurations
        all.add(new Case("local-host without root", create("local-host", "x"), BAD, List.of("root", "required")));
        for (String root : List.of("relative/dir", "/", "/tmp/../etc", "/tmp/a/..", "/tmp/a\nb", "", "/tmp/a\u0000b")) {
            all.add(new Case("local-host root " + root.replace("\n", "\\n").replace("\u0000", "\\0"),
                    create("local-host", "x", "root=" + root), BAD, List.of("root")));
        }
        for (String root : List.of("null", "[1]", "{}", "true", "12")) {
            all.add(new Case("local-host root as JSON " + root, create("local-host", "x", "root=" + root), BAD, List.of("root")));
        }
        for (String capacity : List.of("1.5", "0", "-1", "10001", "two", "true", "[1]", "{}", "99999999999", "1e3", "\"2\"")) {
            all.add(new Case("local-host capacity " + capacity, create("local-host", "x", "root=/tmp/x", "capacity=" + capacity),
                    BAD, List.of("capacity")));
        }
        all.add(new Case("local-host keepIdle not a boolean", create("local-host", "x", "root=/tmp/x", "keepIdle=yes"), BAD, List.of("keepIdle")));
        all.add(new Case("local-host unknown field", create("local-host", "x", "root=/tmp/x", "colour=red"), BAD,
                List.of("colour", "root", "capacity")));
        // --config files
        all.add(new Case("--config of a missing file", configFile("/nonexistent/drydock.json"), BAD, List.of("/nonexistent/drydock.json")));
        all.add(new Case("--config of a directory", configFile(files.toString()), BAD, List.of(files.toString())));
        all.add(new Case("--config not JSON", configFile(notJson.toString()), BAD, List.of("JSON")));
        all.add(new Case("--config an array", configFile(array.toString()), BAD, List.of("object")));
        all.add(new Case("--config with a key twice", configFile(duplicate.toString()), BAD, List.of("root", "twice")));
        all.add(new Case("--config null", configFile(jsonNull.toString()), BAD, List.of("object")));
        all.add(new Case("--config empty", configFile(empty.toString()), BAD, List.of("empty")));
        all.add(new Case("--config with trailing text", configFile(trailing.toString()), BAD, List.of("JSON")));
        // remote-host configurations
        all.add(new Case("remote-host without hosts", create("remote-host", "pool", "privateKey=file:/k"), BAD, List.of("hosts", "required")));
        all.add(new Case("remote-host with no hosts", create("remote-host", "pool", "privateKey=file:/k", "hosts=[]"), BAD, List.of("hosts")));
        all.add(new Case("remote-host hosts not a list", create("remote-host", "pool", "privateKey=file:/k", "hosts=7"), BAD, List.of("hosts")));
        all.add(new Case("remote-host host without address", create("remote-host", "pool", "privateKey=file:/k",
                "hosts=[{\"name\":\"a\",\"user\":\"u\",\"hostKey\":\"" + hostKey + "\"}]"), BAD, List.of("hosts[0].address")));
        all.add(new Case("remote-host host with port 70000", create("remote-host", "pool", "privateKey=file:/k",
                "hosts=[{\"name\":\"a\",\"address\":\"127.0.0.1\",\"port\":70000,\"user\":\"u\",\"hostKey\":\"" + hostKey + "\"}]"), BAD,
                List.of("hosts[0].port")));
        all.add(new Case("remote-host inline key material", create("remote-host", "pool", "privateKey=-----BEGIN OPENSSH PRIVATE KEY-----",
                "hosts=[{\"name\":\"a\",\"address\":\"127.0.0.1\",\"user\":\"u\",\"hostKey\":\"" + hostKey + "\"}]"), BAD, List.of("privateKey", "reference")));
        all.add(new Case("remote-host without host key", create("remote-host", "pool", "privateKey=file:/k",
                "hosts=[{\"name\":\"a\",\"address\":\"127.0.0.1\",\"user\":\"u\"}]"), BAD, List.of("hostKey")));
        all.add(new Case("remote-host malformed host key", create("remote-host", "pool", "privateKey=file:/k",
                "hosts=[{\"name\":\"a\",\"address\":\"127.0.0.1\",\"user\":\"u\",\"hostKey\":\"nonsense\"}]"), BAD, List.of("hostKey")));
        all.add(new Case("remote-host host named twice", create("remote-host", "pool", "privateKey=file:/k",
                "hosts=[{\"name\":\"a\",\"address\":\"127.0.0.1\",\"user\":\"u\",\"hostKey\":\"" + hostKey + "\"},"
                        + "{\"name\":\"a\",\"address\":\"127.0.0.2\",\"user\":\"u\",\"hostKey\":\"" + hostKey + "\"}]"), BAD, List.of("twice")));
        all.add(new Case("remote-host root with ..", create("remote-host", "pool", "privateKey=file:/k", "root=/tmp/../etc",
                "hosts=[{\"name\":\"a\",\"address\":\"127.0.0.1\",\"user\":\"u\",\"hostKey\":\"" + hostKey + "\"}]"), BAD, List.of("root")));
        all.add(new Case("remote-host host with an unknown field", create("remote-host", "pool", "privateKey=file:/k",
                "hosts=[{\"name\":\"a\",\"address\":\"127.0.0.1\",\"user\":\"u\",\"colour\":\"red\",\"hostKey\":\"" + hostKey + "\"}]"), BAD,
                List.of("colour")));
        // blueprint update, enable, disable, show, delete
        all.add(new Case("update of an unknown blueprint", List.of("blueprint", "update", "nosuch", "--limit", "1"), BAD, List.of("nosuch")));
        all.add(new Case("update with nothing to change", List.of("blueprint", "update", "hosts"), BAD, List.of("nothing to update")));
        all.add(new Case("update with an unknown placement", List.of("blueprint", "update", "hosts", "--placement", "Spread"), BAD,
                List.of("placement", "'Spread'", "binpack, spread")));
        all.add(new Case("update with a negative limit", List.of("blueprint", "update", "hosts", "--limit", "-5"), BAD, List.of("limit")));
        all.add(new Case("update with a fractional capacity", List.of("blueprint", "update", "hosts", "--set", "capacity=1.5"), BAD, List.of("capacity")));
        all.add(new Case("update with a relative root", List.of("blueprint", "update", "hosts", "--set", "root=rel"), BAD, List.of("root")));
        all.add(new Case("update with an unknown field", List.of("blueprint", "update", "hosts", "--set", "colour=x"), BAD, List.of("colour")));
        all.add(new Case("update with a missing --config file", List.of("blueprint", "update", "hosts", "--config", "/nonexistent/c.json"), BAD,
                List.of("/nonexistent/c.json")));
        all.add(new Case("enable of an unknown blueprint", List.of("blueprint", "enable", "nosuch"), BAD, List.of("nosuch")));
        all.add(new Case("disable of an unknown blueprint", List.of("blueprint", "disable", "nosuch"), BAD, List.of("nosuch")));
        all.add(new Case("show of an unknown blueprint", List.of("blueprint", "show", "nosuch"), BAD, List.of("nosuch")));
        all.add(new Case("delete of an unknown blueprint", List.of("blueprint", "delete", "nosuch"), BAD, List.of("nosuch")));
        all.add(new Case("delete of a blueprint with live resources", List.of("blueprint", "delete", "hosts"), FAILED, List.of("hosts", "resource")));
        all.add(new Case("blueprint without a subcommand", List.of("blueprint"), BAD, List.of("create")));
        all.add(new Case("blueprint with an unknown subcommand", List.of("blueprint", "frobnicate"), BAD, List.of("frobnicate")));
        // lists
        all.add(new Case("lease list of an unknown blueprint", List.of("lease", "list", "--blueprint", "nosuch"), BAD, List.of("nosuch")));
        all.add(new Case("resource list of an unknown blueprint", List.of("resource", "list", "--blueprint", "nosuch"), BAD, List.of("nosuch")));
        all.add(new Case("resource list of an unknown status", List.of("resource", "list", "--status", "GONE"), BAD, List.of("GONE")));
        all.add(new Case("lease list of no rows", List.of("lease", "list", "--limit", "0"), BAD, List.of("limit")));
        all.add(new Case("resource list of too many rows", List.of("resource", "list", "--limit", "10001"), BAD, List.of("limit")));
        // lease requests
        all.add(new Case("lease without a type", List.of("lease"), BAD, List.of("--type")));
        all.add(new Case("lease of an upper-case type", List.of("lease", "--type", "Host", "--no-wait"), BAD, List.of("Host")));
        all.add(new Case("lease of a type no blueprint builds", List.of("lease", "--type", "nosuchtype", "--no-wait"), BAD,
                List.of("nosuchtype", "host")));
        all.add(new Case("lease from an unknown blueprint", List.of("lease", "--type", "host", "--blueprint", "nosuch", "--no-wait"), BAD,
                List.of("nosuch", "hosts")));
        all.add(new Case("lease from a blueprint of another type", List.of("lease", "--type", "webroot", "--blueprint", "hosts", "--no-wait"), BAD,
                List.of("hosts", "webroot")));
        for (String ttl : List.of("0s", "-5s", "abc", "1000000000d", "5", "PT-1S")) {
            all.add(new Case("lease with ttl " + ttl, List.of("lease", "--type", "host", "--no-wait", "--ttl", ttl), BAD, List.of("ttl")));
        }
        for (String deadline : List.of("0s", "1000000000d", "soon")) {
            all.add(new Case("lease with deadline " + deadline, List.of("lease", "--type", "host", "--no-wait", "--deadline", deadline), BAD,
                    List.of("deadline")));
        }
        all.add(new Case("lease with --attr without '='", List.of("lease", "--type", "host", "--no-wait", "--attr", "noequals"), BAD, List.of("attr")));
        all.add(new Case("lease with a bad attribute name", List.of("lease", "--type", "host", "--no-wait", "--attr", "1bad=x"), BAD,
                List.of("1bad")));
        for (String count : List.of("0", "-1", "1001", "abc")) {
            all.add(new Case("lease --count " + count, List.of("lease", "--type", "host", "--no-wait", "--count", count), BAD, List.of("count")));
        }
        for (String limit : List.of("-1", "0", "abc", "1000001")) {
            all.add(new Case("lease list --limit " + limit, List.of("lease", "list", "--limit", limit), BAD, List.of("limit")));
        }
        all.add(new Case("lease list of an unknown status", List.of("lease", "list", "--status", "NOSUCH"), BAD, List.of("NOSUCH")));
        all.add(new Case("lease show of an unknown lease", List.of("lease", "show", "99999"), BAD, List.of("no lease 99999")));
        all.add(new Case("lease show of a non-number", List.of("lease", "show", "abc"), BAD, List.of("abc")));
        // release, why
        all.add(new Case("release without an id", List.of("release"), BAD, List.of("ID")));
        all.add(new Case("release of an unknown lease", List.of("release", "99999"), BAD, List.of("no lease 99999")));
        all.add(new Case("release of a non-number", List.of("release", "abc"), BAD, List.of("abc")));
        all.add(new Case("release of a lease and an unknown one", List.of("release", "--operator", l, "99999"), BAD, List.of("no lease 99999")));
        all.add(new Case("why of an unknown lease", List.of("why", "99999"), BAD, List.of("no lease 99999")));
        all.add(new Case("why of a non-number", List.of("why", "abc"), BAD, List.of("abc")));
        // exec: Drydock's own refusals have exit codes of their own, apart from the program's
        all.add(new Case("exec on an unknown lease", List.of("exec", "99999", "--", "true"), 125, List.of("no lease 99999")));
        all.add(new Case("exec without a command", List.of("exec", "--operator", l), 125, List.of("--")));
        all.add(new Case("exec with a bad timeout", List.of("exec", "--operator", l, "--timeout", "never", "--", "true"), 125, List.of("never")));
        // fs
        all.add(new Case("fs on an unknown lease", List.of("fs", "99999", "ls"), BAD, List.of("no lease 99999")));
        all.add(new Case("fs with an unknown action", List.of("fs", "--operator", l, "frob"), BAD, List.of("frob")));
        all.add(new Case("fs put of a missing local file", List.of("fs", "--operator", l, "put", "/nonexistent/f", "f"), BAD,
                List.of("/nonexistent/f")));
        all.add(new Case("fs put outside the lease", List.of("fs", "--operator", l, "put", local.toString(), "../escape"), BAD, List.of("../escape")));
        all.add(new Case("fs get from outside the lease", List.of("fs", "--operator", l, "get", "../../../etc/passwd", files.resolve("p").toString()),
                BAD, List.of("../../../etc/passwd")));
        all.add(new Case("fs ls of an absolute path", List.of("fs", "--operator", l, "ls", "/etc"), BAD, List.of("/etc")));
        all.add(new Case("fs get of a missing file", List.of("fs", "--operator", l, "get", "nosuchfile", files.resolve("q").toString()), BAD,
                List.of("nosuchfile")));
        all.add(new Case("fs chmod with a bad mode", List.of("fs", "--operator", l, "chmod", "999", "f"), BAD, List.of("999")));
        all.add(new Case("fs chmod without a path", List.of("fs", "--operator", l, "chmod", "755"), BAD, List.of("chmod")));
        all.add(new Case("fs put without a destination", List.of("fs", "--operator", l, "put", local.toString()), BAD, List.of("put")));
        // resources
        all.add(new Case("resource without a subcommand", List.of("resource"), BAD, List.of("list")));
        all.add(new Case("resource show of an unknown resource", List.of("resource", "show", "99999"), BAD, List.of("no resource 99999")));
        all.add(new Case("resource release of an unknown resource", List.of("resource", "release", "99999"), BAD, List.of("no resource 99999")));
        all.add(new Case("resource release of a non-number", List.of("resource", "release", "abc"), BAD, List.of("abc")));
        all.add(new Case("resource use-current-config of an unknown resource", List.of("resource", "use-current-config", "99999"), BAD,
                List.of("no resource 99999")));
        all.add(new Case("resource release of a resource holding a lease", List.of("resource", "release", r), FAILED, List.of("lease")));
        // logs
        all.add(new Case("logs of an unknown lease", List.of("logs", "--lease", "99999"), BAD, List.of("no lease 99999")));
        all.add(new Case("logs of an unknown resource", List.of("logs", "--resource", "99999"), BAD, List.of("no resource 99999")));
        all.add(new Case("logs of an unknown blueprint", List.of("logs", "--blueprint", "nosuch"), BAD, List.of("nosuch")));
        all.add(new Case("logs of a non-number lease", List.of("logs", "--lease", "abc"), BAD, List.of("abc")));
        all.add(new Case("logs --follow of an unknown lease", List.of("logs", "--follow", "--lease", "99999"), BAD, List.of("no lease 99999")));
        return all.stream();
    }

    private static List<String> create(String type, String name, String... sets) {
        List<String> args = new ArrayList<>(List.of("blueprint", "create", "--type", type, "--name", name));
        for (String set : sets) {
            args.addAll(List.of("--set", set));
        }
        return args;
    }

    private static List<String> configFile(String path) {
        return List.of("blueprint", "create", "--type", "local-host", "--name", "from-file", "--config", path);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a refusal is immediate; waiting is a defect
    void isRefusedNamingWhatWasWrongAndChangesNothing(Case c) {
        Map<String, String> before = TableDigest.of(db);
        Cli.Result result = cli.run(c.args().toArray(String[]::new));
        String message = result.stderr();
        assertThat(result.exitCode()).as("exit code of %s; stderr: %s", c.args(), message).isEqualTo(c.exitCode());
        for (String word : c.words()) {
            assertThat(message.toLowerCase(Locale.ROOT)).as("stderr of %s names '%s'", c.args(), word).contains(word.toLowerCase(Locale.ROOT));
        }
        assertThat(MessageScan.leak(message + result.stdout())).as("what %s printed: %s", c.args(), message).isEmpty();
        assertThat(TableDigest.of(db)).as("rows after %s", c.args()).isEqualTo(before);
    }
}
