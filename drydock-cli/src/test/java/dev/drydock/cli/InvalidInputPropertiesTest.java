package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.blueprint.remotehost.RemoteHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.testing.PostgresServer;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated bad input through the Java API: invalid blueprint configurations and lease requests
 * are refused with {@link InvalidRequestException} naming the field, in words with no library name
 * or SQL, and store nothing; arbitrary text as a configuration never fails any other way.
 */
class InvalidInputPropertiesTest {
    private static TestDatabase db;
    private static Drydock drydock;

    @BeforeContainer
    static void open() {
        db = PostgresServer.shared().createDatabase("InvalidInputPropertiesTest");
        drydock = Drydock.builder(db.dataSource()).register(new LocalHostBlueprint()).register(new RemoteHostBlueprint()).build();
        drydock.blueprints().create("hosts", "local-host", "{\"root\": \"/tmp/drydock-properties\"}", 1);
    }

    @AfterContainer
    static void close() {
        drydock.close();
        db.close();
    }

    @Property(tries = 200)
    void anInvalidLocalHostConfigurationIsRefusedNamingItsFieldAndStoresNothing(@ForAll("invalidLocalHost") Map<String, Object> config) {
        String json = dev.drydock.cli.Output.json(config);
        long before = rows();
        Throwable refused = catchThrowable(() -> drydock.blueprints().create("generated", "local-host", json, 1));
        assertThat(refused).as("refused: %s", json).isInstanceOf(InvalidRequestException.class);
        assertThat(((InvalidRequestException) refused).field()).as("field of %s", json).startsWith("config");
        assertThat(MessageScan.leak(refused.getMessage())).as("message for %s: %s", json, refused.getMessage()).isEmpty();
        assertThat(rows()).isEqualTo(before);
    }

    @Property(tries = 300)
    void arbitraryTextAsAConfigurationIsAcceptedOrRefusedInWords(@ForAll("jsonish") String text) {
        long before = rows();
        Throwable outcome = catchThrowable(() -> drydock.blueprints().create("fuzzed", "local-host", text, 1));
        if (outcome == null) {
            drydock.blueprints().delete("fuzzed"); // valid after all: a root and maybe more
            return;
        }
        assertThat(outcome).as("for %s", text).isInstanceOf(InvalidRequestException.class);
        assertThat(MessageScan.leak(outcome.getMessage())).as("message for %s: %s", text, outcome.getMessage()).isEmpty();
        assertThat(rows()).isEqualTo(before);
    }

    @Property(tries = 200)
    void anInvalidLeaseRequestIsRefusedBeforeAnythingIsStored(@ForAll("invalidRequests") RequestSpec spec) {
        long before = db.queryLong("SELECT count(*) FROM dd_lease");
        assertThatThrownBy(() -> drydock.allocator().acquire(spec.build())).as("%s", spec)
                .isInstanceOf(InvalidRequestException.class)
                .satisfies(e -> assertThat(MessageScan.leak(e.getMessage())).as(e.getMessage()).isEmpty());
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease")).isEqualTo(before);
    }

    private static long rows() {
        return db.queryLong("SELECT (SELECT count(*) FROM dd_blueprint) + (SELECT count(*) FROM dd_log)");
    }

    @Provide
    Arbitrary<Map<String, Object>> invalidLocalHost() {
        Arbitrary<Object> badRoot = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).map(s -> (Object) s),          // relative
                Arbitraries.strings().alpha().ofMaxLength(8).map(s -> (Object) ("/tmp/" + s + "/../x")),     // ..
                Arbitraries.strings().alpha().ofMaxLength(8).map(s -> (Object) ("/tmp/" + s + "\n" + s)),    // newline
                Arbitraries.of("/", "", " ", "/tmp/./x", "/tmp\u0000x"),
                Arbitraries.integers().map(i -> (Object) i),
                Arbitraries.of(true, false).map(b -> (Object) b),
                Arbitraries.just((Object) List.of("/tmp")));
        Arbitrary<Object> badCapacity = Arbitraries.oneOf(
                Arbitraries.integers().lessOrEqual(0).map(i -> (Object) i),
                Arbitraries.integers().greaterOrEqual(10_001).map(i -> (Object) i),
                Arbitraries.doubles().between(0.01, 99.99).filter(d -> d != Math.rint(d)).map(d -> (Object) d),
                Arbitraries.strings().ofMaxLength(5).map(s -> (Object) s),
                Arbitraries.longs().greaterOrEqual(1L << 32).map(l -> (Object) l));
        Arbitrary<String> unknownField = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(10)
                .filter(f -> !List.of("root", "capacity", "keepIdle", "attributes", "buildDelaySeconds", "healthCheckSeconds").contains(f));
        return Arbitraries.oneOf(
                badRoot.map(r -> Map.of("root", r)),
                badCapacity.map(c -> Map.of("root", "/tmp/drydock-properties", "capacity", c)),
                unknownField.map(f -> Map.of("root", "/tmp/drydock-properties", f, 1)),
                Arbitraries.strings().alpha().ofMaxLength(4).map(s -> Map.of("root", "/tmp/x", "keepIdle", s)),
                Arbitraries.strings().withChars("!@# $").ofMinLength(1).ofMaxLength(5)
                        .map(n -> Map.of("root", "/tmp/x", "attributes", Map.of(n, "v"))));
    }

    @Provide
    Arbitrary<String> jsonish() {
        Arbitrary<String> pieces = Arbitraries.of("{", "}", "[", "]", ",", ":", "\"root\"", "\"/tmp/x\"", "\"capacity\"", "2", "1.5",
                "null", "true", "\"", "\\", " ", "\"attributes\"", "{\"a\":\"b\"}", "\"keepIdle\"", "-1", "1e400", "\u0000");
        return Arbitraries.oneOf(
                pieces.list().ofMaxSize(12).map(l -> String.join("", l)),
                Arbitraries.strings().ofMaxLength(30));
    }

    /** A lease request's parts, at least one of them invalid. */
    record RequestSpec(String type, String attribute, Duration ttl, Duration deadline, String blueprint) {
        LeaseRequest build() {
            LeaseRequest.Builder b = LeaseRequest.builder(type).attribute(attribute, "v").ttl(ttl).acquireDeadline(deadline);
            return blueprint.isEmpty() ? b.build() : b.blueprint(blueprint).build();
        }
    }

    @Provide
    Arbitrary<RequestSpec> invalidRequests() {
        Arbitrary<String> goodType = Arbitraries.just("host");
        Arbitrary<String> badType = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(s -> s.toUpperCase(java.util.Locale.ROOT)),
                Arbitraries.strings().withChars("abc_ .!/").ofMinLength(1).ofMaxLength(8).filter(s -> !s.matches("[a-z][a-z0-9-]*")),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(10).filter(s -> !s.equals("host"))); // no blueprint
        Arbitrary<String> goodAttribute = Arbitraries.just("os");
        Arbitrary<String> badAttribute = Arbitraries.strings().withChars("1!$ /:").ofMinLength(1).ofMaxLength(6);
        Arbitrary<Duration> goodTime = Arbitraries.just(Duration.ofMinutes(5));
        Arbitrary<Duration> badTime = Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000_000, 0).map(Duration::ofSeconds),
                Arbitraries.longs().between(3651, 1_000_000_000).map(Duration::ofDays));
        Arbitrary<String> goodBlueprint = Arbitraries.of("", "hosts");
        Arbitrary<String> badBlueprint = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).filter(s -> !s.equals("hosts"));
        return Arbitraries.integers().between(0, 4).flatMap(bad -> Combinators.combine(
                bad == 0 ? badType : goodType,
                bad == 1 ? badAttribute : goodAttribute,
                bad == 2 ? badTime : goodTime,
                bad == 3 ? badTime : goodTime,
                bad == 4 ? badBlueprint : goodBlueprint).as(RequestSpec::new));
    }
}
