package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.core.TokenScope;
import dev.drydock.testing.PostgresServer;
import dev.drydock.testing.TempFiles;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;

/**
 * drydock-control with generated bad arguments — a valid command line of lease, blueprint create,
 * blueprint update, blueprint warm-pool, token create or release with one option or value broken —
 * exits 2 with a message that names the option or value, shows no library name, stack trace or SQL,
 * and leaves every table's rows as they were. The same command lines unbroken succeed.
 */
class CliArgumentPropertiesTest {
    private static final int BAD = 2;
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static TestDatabase db;
    private static Drydock drydock;
    private static Cli cli;
    private static Path scratch;

    @BeforeContainer
    static void open() {
        db = PostgresServer.shared().createDatabase("CliArgumentPropertiesTest");
        drydock = Drydock.builder(db.dataSource()).register(new LocalHostBlueprint()).build();
        drydock.blueprints().create("hosts", "local-host", "{\"root\": \"/tmp/drydock-cli-properties\", \"capacity\": 2}", 2);
        drydock.apiTokens().create("taken", TokenScope.READ);
        scratch = TempFiles.directory("cli-properties");
        cli = new Cli(db, scratch);
    }

    @AfterContainer
    static void close() {
        drydock.close();
        db.close();
        TempFiles.deleteTree(scratch);
    }

    /** A command line and a word its refusal must contain (the option, the field or the value that is wrong). */
    record Call(String command, List<String> args, String word) {
        @Override
        public String toString() {
            return command + " " + args.stream().map(a -> "'" + a.replace("\n", "\\n").replace("\0", "\\0") + "'").toList() + " naming " + word;
        }
    }

    @Property(tries = 60)
    void aBadArgumentExitsTwoNamingItAndChangesNothing(@ForAll("invalid") Call call) {
        Statistics.label("command").collect(call.command());
        Map<String, String> before = TableDigest.of(db);
        Cli.Result result = cli.run(call.args().toArray(String[]::new));
        assertThat(result.exitCode()).as("exit code of %s; stderr: %s", call, result.stderr()).isEqualTo(BAD);
        assertThat(result.stderr().toLowerCase(Locale.ROOT)).as("stderr of %s", call).contains(call.word().toLowerCase(Locale.ROOT));
        assertThat(MessageScan.leak(result.stderr() + result.stdout())).as("what %s printed: %s", call, result.stderr()).isEmpty();
        assertThat(TableDigest.of(db)).as("rows after %s", call).isEqualTo(before);
    }

    @Property(tries = 25)
    void theSameCommandLinesUnbrokenSucceed(@ForAll("valid") Call call) {
        Cli.Result result = cli.run(call.args().toArray(String[]::new));
        assertThat(result.exitCode()).as("exit code of %s; stderr: %s", call, result.stderr()).isZero();
        if (call.command().equals("blueprint create")) {
            assertThat(cli.run("blueprint", "delete", call.args().get(call.args().indexOf("--name") + 1)).exitCode()).isZero();
        } else if (call.command().equals("token create")) {
            assertThat(cli.run("token", "revoke", call.args().get(call.args().indexOf("--name") + 1)).exitCode()).isZero();
        }
    }

    /** Found by the property: a NUL in a --set value reached the database, which refused it: exit 1, "the database reported an error". */
    @Example
    void aNulInASetValueExitsTwoNamingTheField() {
        aBadArgumentExitsTwoNamingItAndChangesNothing(new Call("blueprint create", List.of("blueprint", "create", "--type", "local-host",
                "--name", "nul", "--set", "root=/tmp/x", "--set", "attributes={\"os\": \"a\\u0000b\"}"), "attributes"));
    }

    /** Found by the property: a NUL in a blueprint's name reached the database as a parameter, which refused it: exit 1. */
    @Example
    void aBlueprintNameWithANulExitsTwo() {
        aBadArgumentExitsTwoNamingItAndChangesNothing(new Call("blueprint update", List.of("blueprint", "update", "a\u0000", "--limit", "1"),
                "blueprint"));
        aBadArgumentExitsTwoNamingItAndChangesNothing(new Call("token revoke", List.of("token", "revoke", "a\u0000"), "token"));
    }

    @Example
    void listsAskedAboutANameWithANulExitTwo() {
        for (List<String> list : List.of(List.of("lease", "list"), List.of("resource", "list"))) {
            aBadArgumentExitsTwoNamingItAndChangesNothing(new Call("list", plus(list, "--type", "host\u0000"), "type"));
            aBadArgumentExitsTwoNamingItAndChangesNothing(new Call("list", plus(list, "--blueprint", "hosts\u0000"), "blueprint"));
        }
        aBadArgumentExitsTwoNamingItAndChangesNothing(new Call("logs", List.of("logs", "--blueprint", "hosts\u0000"), "blueprint"));
    }

    @Provide
    Arbitrary<Call> invalid() {
        return Arbitraries.oneOf(badLease(), badCreate(), badUpdate(), badWarmPool(), badToken(), badRelease(), badQuery());
    }

    @Provide
    Arbitrary<Call> valid() {
        Arbitrary<Call> lease = Arbitraries.of("1s", "90s", "2h", "3650d").flatMap(ttl -> Arbitraries.of("1s", "10m", "365d")
                .map(deadline -> new Call("lease", List.of("lease", "--type", "host", "--no-wait", "--ttl", ttl, "--deadline", deadline,
                        "--attr", "os=any thing", "--blueprint", "hosts"), "")));
        Arbitrary<Call> create = Arbitraries.of("1", "10000").flatMap(capacity -> Arbitraries.of("0", "1000000").map(limit -> {
            String name = "made-" + NAMES.incrementAndGet();
            return new Call("blueprint create", List.of("blueprint", "create", "--type", "local-host", "--name", name, "--set",
                    "root=/tmp/drydock-cli-properties", "--set", "capacity=" + capacity, "--limit", limit), "");
        }));
        Arbitrary<Call> token = Arbitraries.of("read", "lease", "admin")
                .map(scope -> new Call("token create", List.of("token", "create", "--name", "t-" + NAMES.incrementAndGet(), "--scope", scope), ""));
        return Arbitraries.oneOf(lease, create, token);
    }

    private static Arbitrary<Call> badLease() {
        List<String> base = List.of("lease", "--type", "host", "--no-wait", "--blueprint", "hosts");
        Arbitrary<Call> type = Arbitraries.oneOf(Arbitraries.of("Host", "h_st", "host!", "9host", "h".repeat(64), "host\u0000"),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(8).filter(t -> !t.equals("host")))
                .map(t -> new Call("lease", replace(base, "--type", t), t.replace("\0", "\\u0000"))); // a NUL is shown escaped
        Arbitrary<Call> time = Arbitraries.of("--ttl", "--deadline").flatMap(option -> durations().map(d ->
                new Call("lease", plus(base, option, d), option.substring(2))));
        Arbitrary<Call> attr = Arbitraries.of("noequals", "=v", "1bad=v", "a b=v", "a".repeat(64) + "=v", "drydock.resource=abc", "os=a\u0000b")
                .map(a -> new Call("lease", plus(base, "--attr", a), a.contains("=") && !a.startsWith("=") ? a.substring(0, a.indexOf('=')) : "attr"));
        Arbitrary<Call> count = Arbitraries.oneOf(Arbitraries.of("0", "-1", "1001", "abc", "1.5", "99999999999"),
                Arbitraries.integers().greaterOrEqual(1001).map(String::valueOf)).map(c -> new Call("lease", plus(base, "--count", c), "count"));
        Arbitrary<Call> blueprint = Arbitraries.oneOf(Arbitraries.of("Hosts", "", "hosts\u0000", "nosuch"),
                        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).filter(b -> !b.equals("hosts")))
                .map(b -> new Call("lease", replace(base, "--blueprint", b), "blueprint"));
        return Arbitraries.oneOf(type, time, attr, count, blueprint, unknownOption("lease", base));
    }

    private static Arbitrary<Call> badCreate() {
        Arbitrary<List<String>> base = Arbitraries.just(0).map(i -> List.of("blueprint", "create", "--type", "local-host", "--name",
                "new-" + NAMES.incrementAndGet(), "--set", "root=/tmp/drydock-cli-properties"));
        Arbitrary<Call> name = base.flatMap(b -> badNames().map(n -> new Call("blueprint create", replace(b, "--name", n), "name")));
        Arbitrary<Call> limit = base.flatMap(b -> badLimits().map(l -> new Call("blueprint create", plus(b, "--limit", l), "limit")));
        Arbitrary<Call> placement = base.flatMap(b -> Arbitraries.of("nearest", "Spread", "", "binpack ")
                .map(p -> new Call("blueprint create", plus(b, "--placement", p), "placement")));
        Arbitrary<Call> set = base.flatMap(b -> badSettings().map(s -> new Call("blueprint create", plus(b, "--set", s),
                s.substring(0, Math.max(s.indexOf('='), 0)).isEmpty() ? "key=value" : s.substring(0, s.indexOf('=')))));
        Arbitrary<Call> type = base.flatMap(b -> Arbitraries.of("nosuch", "Local-Host", "local-host ", "")
                .map(t -> new Call("blueprint create", replace(b, "--type", t), "type")));
        return Arbitraries.oneOf(name, limit, placement, set, type, base.flatMap(b -> unknownOption("blueprint create", b)));
    }

    private static Arbitrary<Call> badUpdate() {
        List<String> base = List.of("blueprint", "update", "hosts");
        return Arbitraries.oneOf(
                badLimits().map(l -> new Call("blueprint update", plus(base, "--limit", l), "limit")),
                badSettings().filter(s -> s.indexOf('=') > 0).map(s -> new Call("blueprint update", plus(base, "--set", s), s.substring(0, s.indexOf('=')))),
                Arbitraries.of("nearest", "BINPACK").map(p -> new Call("blueprint update", plus(base, "--placement", p), "placement")),
                badNames().filter(n -> !n.isEmpty()).flatMap(n -> Arbitraries.of(List.of("update", n, "--limit", "1"), List.of("show", n),
                        List.of("enable", n), List.of("disable", n), List.of("delete", n), List.of("warm-pool", n, "--min-ready", "1"))
                        .map(rest -> new Call("blueprint " + rest.get(0), plus(List.of("blueprint"), rest.toArray(String[]::new)), "blueprint"))));
    }

    private static Arbitrary<Call> badWarmPool() {
        List<String> base = List.of("blueprint", "warm-pool", "hosts");
        return Arbitraries.oneOf(
                Arbitraries.of("-1", "10001", "abc", "1.5").map(n -> new Call("warm-pool", plus(base, "--min-ready", n), "min")),
                Arbitraries.of("soon", "10ms", "-5m", "0s").map(a -> new Call("warm-pool", plus(plus(base, "--min-ready", "0"), "--max-ready-age", a),
                        "ready")));
    }

    private static Arbitrary<Call> badToken() {
        return Arbitraries.oneOf(
                badNames().map(n -> new Call("token create", List.of("token", "create", "--name", n, "--scope", "read"), "name")),
                Arbitraries.of("root", "", "ADMIN", "read,lease", "*").map(s -> new Call("token create",
                        List.of("token", "create", "--name", "t-" + NAMES.incrementAndGet(), "--scope", s), "scope")),
                Arbitraries.just(new Call("token create", List.of("token", "create", "--name", "taken", "--scope", "read"), "taken")),
                badNames().filter(n -> !n.isEmpty()).map(n -> new Call("token revoke", List.of("token", "revoke", n), "token")));
    }

    private static Arbitrary<Call> badRelease() {
        return Arbitraries.oneOf(Arbitraries.of("abc", "-1", "0", "1.5", "99999999999999999999", "", "1e3"),
                Arbitraries.longs().between(100_000, Long.MAX_VALUE).map(String::valueOf)).map(id -> new Call("release", List.of("release", id), id));
    }

    /** The lists and logs, asked about a blueprint that cannot exist, a status none has, or a bad page size. */
    private static Arbitrary<Call> badQuery() {
        Arbitrary<List<String>> command = Arbitraries.of(List.of("lease", "list"), List.of("resource", "list"), List.of("logs"));
        Arbitrary<Call> blueprint = command.flatMap(c -> badNames().filter(n -> !n.isEmpty())
                .map(n -> new Call(String.join(" ", c), plus(c, "--blueprint", n), "blueprint")));
        Arbitrary<List<String>> list = Arbitraries.of(List.of("lease", "list"), List.of("resource", "list"));
        Arbitrary<Call> status = list.flatMap(c -> Arbitraries.of("GONE", "active\u0000", "")
                .map(x -> new Call(String.join(" ", c), plus(c, "--status", x), "status")));
        Arbitrary<Call> limit = list.flatMap(c -> badLimits().map(x -> new Call(String.join(" ", c), plus(c, "--limit", x), "limit")));
        Arbitrary<Call> type = list.flatMap(c -> Arbitraries.of("Host", "host\u0000", "h st", "")
                .map(x -> new Call(String.join(" ", c), plus(c, "--type", x), "type")));
        Arbitrary<Call> before = list.flatMap(c -> Arbitraries.of("abc", "-1", "0", "1.5", "99999999999999999999")
                .map(x -> new Call(String.join(" ", c), plus(c, "--before", x), "before")));
        return Arbitraries.oneOf(blueprint, status, limit, type, before);
    }

    private static Arbitrary<Call> unknownOption(String command, List<String> base) {
        return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(10).map(o -> "--x" + o)
                .map(o -> new Call(command, plus(base, o), o));
    }

    private static Arbitrary<String> badNames() {
        return Arbitraries.oneOf(Arbitraries.of("Bad", "1abc", "a_b", "a".repeat(64), "a b", "", "a\u0000", "a\nb", "é"),
                Arbitraries.strings().withChars("ABC_!. /").ofMinLength(1).ofMaxLength(6));
    }

    private static Arbitrary<String> badLimits() {
        return Arbitraries.oneOf(Arbitraries.of("-1", "1000001", "abc", "1.5", "99999999999", "", "99999999999999999999", "0x10", "1e3"),
                Arbitraries.integers().lessOrEqual(-1).map(String::valueOf), Arbitraries.integers().greaterOrEqual(1_000_001).map(String::valueOf));
    }

    /** --set KEY=VALUE for local-host that its check refuses: out of range, the wrong kind, unknown, malformed. */
    private static Arbitrary<String> badSettings() {
        return Arbitraries.oneOf(
                Arbitraries.of("capacity=0", "capacity=10001", "capacity=1.5", "capacity=two", "capacity=[1]", "keepIdle=yes",
                        "root=relative", "root=/", "root=/tmp/../etc", "root=/tmp/a\nb", "root=12", "attributes={\"1x\":\"v\"}",
                        "attributes=[1]", "buildDelaySeconds=601", "healthCheckSeconds=0", "attributes={\"os\":\"a\\u0000\"}",
                        "noequals", "=value"),
                Arbitraries.strings().alpha().ofMinLength(2).ofMaxLength(8).filter(k -> !List.of("root", "capacity", "keepIdle", "attributes",
                        "buildDelaySeconds", "healthCheckSeconds").contains(k)).map(k -> k + "=1"));
    }

    private static Arbitrary<String> durations() {
        return Arbitraries.oneOf(Arbitraries.of("0s", "-5s", "abc", "5", "1000000000d", "PT-1S", "", "1x", "3651d", "99999999999999999999s",
                        "9223372036854775807d", "1h-1m", "\u0000"),
                Arbitraries.longs().between(3651, 1_000_000).map(d -> d + "d"));
    }

    private static List<String> plus(List<String> base, String... more) {
        List<String> all = new ArrayList<>(base);
        all.addAll(List.of(more));
        return all;
    }

    private static List<String> replace(List<String> base, String option, String value) {
        List<String> all = new ArrayList<>(base);
        all.set(all.indexOf(option) + 1, value);
        return all;
    }
}
