package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.blueprint.ec2.Ec2HostBlueprint;
import dev.drydock.blueprint.libvirt.LibvirtHostBlueprint;
import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.blueprint.remotehost.RemoteHostBlueprint;
import dev.drydock.blueprint.webroot.WebrootBlueprint;
import dev.drydock.blueprint.workingcopy.WorkingCopyBlueprint;
import dev.drydock.cli.ConfigSpecs.Kind;
import dev.drydock.cli.ConfigSpecs.Spec;
import dev.drydock.core.Drydock;
import dev.drydock.testing.PostgresServer;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
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
 * Every blueprint type's configuration, mutated one field at a time from a valid one (a field of
 * the wrong JSON kind, out of range or malformed, missing when required, unknown, or with a NUL
 * character): each is refused by create and by update with an {@link InvalidRequestException}
 * whose field is that field, in words with no library name or SQL, and no row of any table changes.
 * Valid configurations built from the same parts are accepted, so it is the mutation that is refused.
 */
class BlueprintConfigPropertiesTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static TestDatabase db;
    private static Drydock drydock;
    private static List<Spec> specs;
    private static Path key;

    @BeforeContainer
    static void open() throws IOException {
        db = PostgresServer.shared().createDatabase("BlueprintConfigPropertiesTest");
        key = Files.createTempFile("drydock-properties", ".key");
        specs = ConfigSpecs.all("file:" + key);
        drydock = Drydock.builder(db.dataSource()).register(new LocalHostBlueprint()).register(new RemoteHostBlueprint())
                .register(new Ec2HostBlueprint()).register(new WorkingCopyBlueprint()).register(new WebrootBlueprint())
                .register(new LibvirtHostBlueprint()).build();
        for (Spec spec : specs) {
            drydock.blueprints().create("existing-" + spec.type(), spec.type(), Output.json(spec.valid()), 0);
        }
    }

    @AfterContainer
    static void close() throws IOException {
        drydock.close();
        db.close();
        Files.delete(key);
    }

    /** One configuration derived from a type's valid one; {@code field} is the field it broke, if any. */
    record Mutation(String type, String what, String field, Map<String, Object> config) {
        @Override
        public String toString() {
            return type + " " + what + ": " + Output.json(config);
        }
    }

    @Property(tries = 120)
    void aConfigurationWithOneBadFieldIsRefusedNamingItAndChangesNothing(@ForAll("invalid") Mutation m) {
        Statistics.label("type").collect(m.type());
        Statistics.label("mutation").collect(m.what().split(" ")[0]);
        String json = Output.json(m.config());
        Map<String, String> before = TableDigest.of(db);
        assertRefusedNamingField(m, catchThrowable(() -> drydock.blueprints().create("generated", m.type(), json, 1)));
        assertRefusedNamingField(m, catchThrowable(() -> drydock.blueprints().update("existing-" + m.type(), Optional.of(json),
                Optional.of(2), Optional.empty())));
        assertThat(TableDigest.of(db)).as("rows after %s", m).isEqualTo(before);
    }

    @Property(tries = 60)
    void aValidConfigurationIsAccepted(@ForAll("valid") Mutation m) {
        String name = "valid-" + NAMES.incrementAndGet();
        Throwable refused = catchThrowable(() -> drydock.blueprints().create(name, m.type(), Output.json(m.config()), 1));
        assertThat(refused).as("%s", m).isNull();
        drydock.blueprints().delete(name);
    }

    /** Found by the property: PostgreSQL cannot store a NUL in a configuration, so it failed at the insert, as SQL. */
    @Example
    void aNulInATextFieldIsRefusedNamingTheField() {
        assertRefusedNamingField(new Mutation("local-host", "nul in attributes", "attributes", Map.of()), catchThrowable(() ->
                drydock.blueprints().create("generated", "local-host", "{\"root\": \"/tmp/x\", \"attributes\": {\"os\": \"a\\u0000b\"}}", 1)));
    }

    @Example
    void aConfigurationNestedDeeperThanTheReaderGoesIsRefusedInWords() {
        String deep = "[".repeat(5000) + "]".repeat(5000);
        Map<String, String> before = TableDigest.of(db);
        Throwable refused = catchThrowable(() -> drydock.blueprints().create("deep", "local-host",
                "{\"root\": \"/tmp/x\", \"attributes\": {\"a\": " + deep + "}}", 1));
        assertThat(refused).isInstanceOf(InvalidRequestException.class);
        assertThat(((InvalidRequestException) refused).field()).startsWith("config");
        assertThat(MessageScan.leak(refused.getMessage())).as(refused.getMessage()).isEmpty();
        assertThat(TableDigest.of(db)).isEqualTo(before);
    }

    @Example
    void aHugeValueOfAnUnknownFieldIsRefusedNamingTheField() {
        Mutation m = new Mutation("local-host", "unknown huge", "huge", Map.of("root", "/tmp/x", "huge", "x".repeat(4_000_000)));
        assertRefusedNamingField(m, catchThrowable(() -> drydock.blueprints().create("huge", "local-host", Output.json(m.config()), 1)));
    }

    private static void assertRefusedNamingField(Mutation m, Throwable refused) {
        assertThat(refused).as("refused: %s", m).isInstanceOf(InvalidRequestException.class);
        // Several problems are refused together as field "config", each named in the message.
        String named = "config\\." + Pattern.quote(m.field()) + "([.\\[][^:]*)?";
        String field = ((InvalidRequestException) refused).field();
        assertThat(field.matches(named) || field.equals("config") && Pattern.compile("\\b" + named + ":").matcher(refused.getMessage()).find())
                .as("the refusal of %s names %s: field %s, %s", m, m.field(), field, refused.getMessage()).isTrue();
        assertThat(MessageScan.leak(refused.getMessage())).as("message for %s: %s", m, refused.getMessage()).isEmpty();
    }

    @Provide
    Arbitrary<Mutation> invalid() {
        return Arbitraries.of(specs).flatMap(spec -> Arbitraries.oneOf(unknownField(spec), wrongKind(spec), badValue(spec),
                missing(spec), nul(spec)));
    }

    @Provide
    Arbitrary<Mutation> valid() {
        return Arbitraries.of(specs).flatMap(spec -> Arbitraries.of(List.copyOf(spec.good().keySet())).set().ofMaxSize(4).flatMap(fields -> {
            Arbitrary<Map<String, Object>> config = Arbitraries.just(new LinkedHashMap<>(spec.valid()));
            for (String f : fields) {
                config = config.flatMap(c -> Arbitraries.of(spec.good().get(f)).map(v -> with(c, f, v)));
            }
            return config.map(c -> new Mutation(spec.type(), "valid with " + fields, "", c));
        }));
    }

    private static Arbitrary<Mutation> unknownField(Spec spec) {
        return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12).filter(f -> !spec.fields().containsKey(f))
                .map(f -> new Mutation(spec.type(), "unknown " + f, f, with(spec.valid(), f, 1)));
    }

    private static Arbitrary<Mutation> wrongKind(Spec spec) {
        return Arbitraries.of(List.copyOf(spec.fields().keySet())).flatMap(f -> Arbitraries.of(wrongValues(spec.fields().get(f)))
                .map(v -> new Mutation(spec.type(), "wrong-kind " + f, f, with(spec.valid(), f, v))));
    }

    private static Arbitrary<Mutation> badValue(Spec spec) {
        return Arbitraries.of(List.copyOf(spec.bad().keySet())).flatMap(f -> Arbitraries.of(spec.bad().get(f))
                .map(v -> new Mutation(spec.type(), "bad-value " + f, f, with(spec.valid(), f, v))));
    }

    private static Arbitrary<Mutation> missing(Spec spec) {
        if (spec.required().isEmpty()) {
            return unknownField(spec);
        }
        return Arbitraries.of(spec.required()).map(f -> {
            Map<String, Object> c = new LinkedHashMap<>(spec.valid());
            c.remove(f);
            return new Mutation(spec.type(), "missing " + f, f, c);
        });
    }

    /** A NUL character in a text field or an attribute value, anywhere in the text. */
    private static Arbitrary<Mutation> nul(Spec spec) {
        List<String> texts = spec.fields().entrySet().stream().filter(e -> e.getValue() == Kind.TEXT || e.getValue() == Kind.MAP)
                .map(Map.Entry::getKey).toList();
        return Arbitraries.of(texts).flatMap(f -> Arbitraries.strings().alpha().ofMaxLength(6).map(s -> {
            String text = s + "\u0000" + s;
            Object value = spec.fields().get(f) == Kind.MAP ? Map.of("os", text) : text;
            return new Mutation(spec.type(), "nul " + f, f, with(spec.valid(), f, value));
        }));
    }

    private static List<Object> wrongValues(Kind kind) {
        Map<String, Object> object = Map.of("a", "b");
        return switch (kind) {
            case TEXT -> List.of(12, true, List.of("a"), object, 1.5);
            case WHOLE -> List.of("2", 1.5, true, List.of(1), object, 99_999_999_999L);
            case NUMBER -> List.of("1", true, List.of(1), object);
            case FLAG -> List.of("yes", "true", 1, List.of(), object);
            case LIST -> List.of("a", 1, object, true, List.of(object));
            case MAP -> List.of("a", 1, List.of("a"), Map.of("a", 1), Map.of("a", List.of()));
            case OBJECT -> List.of("a", 1, List.of(), true);
        };
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(base);
        copy.put(key, value);
        return copy;
    }
}
