package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.blueprint.remotehost.RemoteHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.testing.PostgresServer;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
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

    @Property(tries = 80)
    void anInvalidLeaseRequestIsRefusedNamingItsFieldBeforeAnythingIsStored(@ForAll("invalidRequests") RequestSpec spec) {
        Map<String, String> before = TableDigest.of(db);
        Throwable refused = catchThrowable(() -> drydock.allocator().acquire(spec.build()));
        assertThat(refused).as("%s", spec).isInstanceOf(InvalidRequestException.class);
        assertThat(((InvalidRequestException) refused).field()).as("field of %s: %s", spec, refused.getMessage()).startsWith(spec.field());
        assertThat(MessageScan.leak(refused.getMessage())).as(refused.getMessage()).isEmpty();
        assertThat(TableDigest.of(db)).as("rows after %s", spec).isEqualTo(before);
    }

    @Property(tries = 30)
    void aValidLeaseRequestIsStored(@ForAll("validRequests") RequestSpec spec) {
        long before = db.queryLong("SELECT count(*) FROM dd_lease");
        Lease lease = drydock.allocator().acquire(spec.build());
        lease.release();
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease")).as("%s", spec).isEqualTo(before + 1);
    }

    /** Found by the property: PostgreSQL cannot store a NUL in a lease's attributes, so it failed at the insert, as SQL. */
    @Example
    void aNulInAnAttributeValueIsRefusedNamingTheAttribute() {
        assertThatThrownBy(() -> LeaseRequest.builder("host").attribute("os", "linux\u0000").build())
                .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.field()).isEqualTo("attributes.os"));
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

    /** A lease request's parts, and the field a refusal of it must name ("" when valid). */
    record RequestSpec(String type, Map<String, String> attributes, List<String> blueprints, Duration ttl, Duration deadline, String field) {
        LeaseRequest build() {
            LeaseRequest.Builder b = LeaseRequest.builder(type).ttl(ttl).acquireDeadline(deadline);
            attributes.forEach(b::attribute);
            blueprints.forEach(b::blueprint);
            return b.build();
        }

        RequestSpec with(String field, UnaryOperator<RequestSpec> change) {
            RequestSpec c = change.apply(this);
            return new RequestSpec(c.type, c.attributes, c.blueprints, c.ttl, c.deadline, field);
        }
    }

    @Provide
    Arbitrary<RequestSpec> validRequests() {
        Arbitrary<String> name = Arbitraries.strings().withCharRange('a', 'z').ofLength(1)
                .flatMap(first -> Arbitraries.strings().withChars("abcXYZ019_.-").ofMaxLength(62).map(rest -> first + rest));
        Arbitrary<String> value = Arbitraries.strings().ofMinLength(1).ofMaxLength(200).filter(v -> v.indexOf('\0') < 0);
        return Combinators.combine(Arbitraries.maps(name, value).ofMaxSize(3), Arbitraries.of(List.<String>of(), List.of("hosts")),
                        Arbitraries.longs().between(1, 3650L * 86_400).map(Duration::ofSeconds),
                        Arbitraries.longs().between(1, 365L * 86_400).map(Duration::ofSeconds))
                .as((attributes, blueprints, ttl, deadline) -> new RequestSpec("host", attributes, blueprints, ttl, deadline, ""));
    }

    @Provide
    Arbitrary<RequestSpec> invalidRequests() {
        Arbitrary<String> badType = Arbitraries.oneOf(
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(s -> s.toUpperCase(java.util.Locale.ROOT)),
                Arbitraries.strings().withChars("abc_ .!/\u0000\n").ofMinLength(1).ofMaxLength(8).filter(s -> !s.matches("[a-z][a-z0-9-]*")),
                Arbitraries.of("", "-host", "9host", "h".repeat(64)),
                Arbitraries.strings().withCharRange('a', 'z').ofMinLength(3).ofMaxLength(10).filter(s -> !s.equals("host"))); // no blueprint
        Arbitrary<String> badAttributeName = Arbitraries.oneOf(Arbitraries.strings().withChars("1!$ /:\u0000\t").ofMinLength(1).ofMaxLength(6),
                Arbitraries.of("", "a".repeat(64), "_a", ".a"));
        Arbitrary<String> nulValue = Arbitraries.strings().alpha().ofMaxLength(5).map(s -> s + "\u0000" + s);
        Arbitrary<String> badResourceId = Arbitraries.of("0", "-1", "abc", "1.5", "", "99999999999999999999", "01");
        Arbitrary<Duration> badTime = Arbitraries.oneOf(
                Arbitraries.longs().between(-1_000_000, 0).map(Duration::ofSeconds),
                Arbitraries.longs().between(3651, 1_000_000_000).map(Duration::ofDays));
        Arbitrary<String> badBlueprint = Arbitraries.oneOf(Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8)
                .filter(s -> !s.equals("hosts")), Arbitraries.of("hosts\u0000", "Hosts", "", " hosts"));
        return validRequests().flatMap(valid -> Arbitraries.oneOf(
                // without a blueprint named, which would be refused as of another type (allowedBlueprints)
                badType.map(t -> valid.with("resourceType", r -> new RequestSpec(t, r.attributes, List.of(), r.ttl, r.deadline, ""))),
                badAttributeName.map(n -> valid.with("attributes.", r -> new RequestSpec(r.type, plus(r.attributes, n, "v"), r.blueprints,
                        r.ttl, r.deadline, ""))),
                nulValue.map(v -> valid.with("attributes.os", r -> new RequestSpec(r.type, plus(r.attributes, "os", v), r.blueprints,
                        r.ttl, r.deadline, ""))),
                badResourceId.map(v -> valid.with("attributes." + LeaseRequest.ON_RESOURCE, r -> new RequestSpec(r.type,
                        plus(r.attributes, LeaseRequest.ON_RESOURCE, v), r.blueprints, r.ttl, r.deadline, ""))),
                badTime.map(t -> valid.with("ttl", r -> new RequestSpec(r.type, r.attributes, r.blueprints, t, r.deadline, ""))),
                badTime.map(t -> valid.with("acquireDeadline", r -> new RequestSpec(r.type, r.attributes, r.blueprints, r.ttl, t, ""))),
                badBlueprint.map(b -> valid.with("allowedBlueprints", r -> new RequestSpec(r.type, r.attributes, List.of(b), r.ttl,
                        r.deadline, "")))));
    }

    private static Map<String, String> plus(Map<String, String> attributes, String name, String value) {
        Map<String, String> all = new java.util.TreeMap<>(attributes);
        all.put(name, value);
        return all;
    }
}
