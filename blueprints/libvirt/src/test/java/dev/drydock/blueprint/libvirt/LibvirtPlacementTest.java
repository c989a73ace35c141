package dev.drydock.blueprint.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.ObjectTags;
import dev.drydock.core.Drydock;
import dev.drydock.core.EngineCleanUp;
import dev.drydock.core.LogEntry;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Placement across hypervisors as a user of the engine sees it (Drydock and a taskmaster on the test
 * database, the libvirt-host blueprint): three hypervisors, a refused port on the loopback and two
 * libvirt test-driver nodes of 4 and 16 GiB (no daemon, nothing booted). It shows that
 * <ul>
 *   <li>bin-packing (the default) puts the VM on the smaller node and spreading on the bigger one,
 *       as the resource's {@code hypervisor} attribute says, and the resource's log names the
 *       choice and the unreachable hypervisor it skipped, with libvirt's reason;</li>
 *   <li>when no hypervisor fits, the lease waits and {@code why} (its reason and the resource
 *       being built for it) names every hypervisor and why it was declined: unreachable, its {@code maxVms} reached, too little memory;</li>
 *   <li>a hypervisor that refuses a step outright (the test driver cannot upload the VM's seed)
 *       fails the build at once with libvirt's words, instead of being asked again until the build
 *       timeout runs out.</li>
 * </ul>
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LibvirtPlacementTest {
    /** Far below the build timeout (bootTimeoutSeconds' default plus a minute): what happens within it is not a timeout. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String POOL = "drydock-pool";
    /** A refused port on the loopback: libvirt's remote driver fails at once, and the test talks to nothing else. */
    private static final String UNREACHABLE = "qemu+tcp://127.0.0.1:1/system";
    private static final int SMALL_MIB = 4096;
    private static final int BIG_MIB = 16384;
    private static final int CPUS = 4;

    @TempDir
    Path dir;

    private String small;
    private String big;
    private Path key;

    @BeforeEach
    void setUp() throws Exception {
        TestDriverNode.openDefault().close(); // skips the test where libvirt's library is missing
        small = TestDriverNode.write(dir.resolve("small.xml"), SMALL_MIB, CPUS, POOL, List.of());
        big = TestDriverNode.write(dir.resolve("big.xml"), BIG_MIB, CPUS, POOL, List.of());
        key = TestVms.loginKey(dir);
    }

    @Test
    void binPackingByDefaultPlacesTheVmOnTheFullerHypervisorAndLogsTheUnreachableOneSkipped(TestDatabase db) throws Exception {
        placesOnAndLogs(db, "binpack", Map.of(), small);
    }

    @Test
    void spreadingPlacesTheVmOnTheEmptierHypervisorAndLogsTheUnreachableOneSkipped(TestDatabase db) throws Exception {
        placesOnAndLogs(db, "spread", Map.of("placement", "\"spread\""), big);
    }

    @Test
    void aHypervisorThatRefusesAStepFailsTheBuildAtOnceInLibvirtsWords(TestDatabase db) throws Exception {
        withEngine(db, "refused", Map.of(), (drydock, blueprint) -> {
            try (Lease lease = acquire(drydock, blueprint)) {
                // Within WAIT, long before the build timeout: the refusal itself ended the build.
                String why = awaitWhy(drydock, lease, "could not be built");
                assertThat(why).contains("hypervisor " + small + " refused a step of building the VM")
                        .contains("not supported"); // libvirt's own words for a driver without the call
                assertPlainWords(why);
                ResourceInfo first = firstResource(drydock, blueprint).orElseThrow();
                assertThat(first.status()).isIn(ResourceStatus.BROKEN, ResourceStatus.DESTROYED);
                assertThat(first.statusReason()).contains("refused a step of building the VM");
            }
        });
    }

    @Test
    void whenNoHypervisorFitsTheLeaseWaitsNamingEachHypervisorAndWhy(TestDatabase db) throws Exception {
        int vmMiB = BIG_MIB; // the big node keeps reserveMemoryMiB for itself, so this does not fit it either
        withEngine(db, "no-room", Map.of("memoryMiB", Integer.toString(vmMiB), "maxVms", "1"), (drydock, blueprint) -> {
            // The small node already runs one VM of this blueprint: its limit of one is reached.
            Names running = new Names(new ObjectTags(drydock.installationId(), blueprint.id(), 1_000_000_000L)); // a resource id no row has
            LibvirtConfig config = TestConfigs.read(TestConfigs.KERNEL_USER_MODE, settings(Map.of("memoryMiB", "1024")));
            TestDriverNode.write(dir.resolve("small.xml"), SMALL_MIB, CPUS, POOL, List.of(DomainXml.domain(config, running, 22)));
            try (Lease lease = acquire(drydock, blueprint)) {
                String why = awaitWhy(drydock, lease, "no hypervisor fits");
                assertThat(lease.info().status()).isEqualTo(LeaseStatus.PENDING);
                assertThat(why).contains(UNREACHABLE + ": unreachable: ")
                        .doesNotContain("unreachable: unreachable") // said once, then libvirt's words
                        .contains(small + ": holds 1 of this blueprint's VMs, its limit (maxVms 1)")
                        .contains(big + ": ").contains("a VM needs " + vmMiB + " MiB");
                assertPlainWords(why);
            }
        });
    }

    /** A lease on a blueprint whose config sets {@code placement}; the VM must land on {@code expected}. */
    private void placesOnAndLogs(TestDatabase db, String name, Map<String, String> placement, String expected) throws Exception {
        withEngine(db, name, placement, (drydock, blueprint) -> {
            try (Lease lease = acquire(drydock, blueprint)) {
                ResourceInfo placed = Await.value("a resource placed on a hypervisor", WAIT, () -> firstResource(drydock, blueprint)
                        .filter(r -> !r.attributes().getOrDefault(LibvirtHostBlueprint.HYPERVISOR, "").isEmpty()).orElse(null));
                assertThat(placed.attributes()).containsEntry(LibvirtHostBlueprint.HYPERVISOR, expected);
                String choice = drydock.logs(Optional.empty(), Optional.of(placed.id()), Optional.empty(), 0, 1000).stream()
                        .map(LogEntry::message).filter(m -> m.contains("placed on ")).findFirst().orElseThrow();
                String other = expected.equals(small) ? big : small;
                assertThat(score(choice, expected)).as("the chosen one's score, as logged").isGreaterThan(score(choice, other));
                assertThat(choice).contains("placed on " + expected + " (")
                        .contains("declined: " + UNREACHABLE + ": unreachable: ")
                        .doesNotContain("unreachable: unreachable") // said once, then libvirt's words
                        .contains("127.0.0.1"); // what libvirt said: where it could not connect
                assertPlainWords(choice);
            }
        });
    }

    /** The score {@code log} gives {@code uri}: the runner-up that fits is listed with its score too. */
    private static double score(String log, String uri) {
        Matcher m = Pattern.compile(Pattern.quote(uri) + " scores (\\d+\\.\\d+)").matcher(log);
        assertThat(m.find()).as("%s scored in: %s", uri, log).isTrue();
        return Double.parseDouble(m.group(1));
    }

    /**
     * What {@code drydock-control why} shows of a lease once it says {@code text}: its reason, then
     * each link of what it waits on (the resource being built for it, with that resource's reason).
     * On timeout, the failure shows what it said instead.
     */
    private static String awaitWhy(Drydock drydock, Lease lease, String text) {
        try {
            Await.until("why to say '" + text + "'", WAIT, () -> why(drydock, lease).contains(text));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; it says: " + why(drydock, lease) + "\n" + EngineCleanUp.resourcesLeft(drydock), e);
        }
        return why(drydock, lease);
    }

    private static String why(Drydock drydock, Lease lease) {
        StringBuilder why = new StringBuilder(lease.info().statusReason());
        drydock.waitChain(lease.id()).forEach(link -> why.append('\n').append(link.description()));
        return why.toString();
    }

    /** What a user reads names no Java class: libvirt's message, never the exception's type. */
    private static void assertPlainWords(String text) {
        assertThat(text).doesNotContain("Exception").doesNotContain("org.libvirt").doesNotContain("VIR_ERR");
    }

    /**
     * The blueprint's config: a kernel boot (dummy paths: the test driver boots nothing) on a libvirt
     * network, placed across the three hypervisors, the unreachable one first in preference.
     */
    private Map<String, String> settings(Map<String, String> changes) {
        Map<String, String> fields = new HashMap<>(Map.of(
                "hypervisors", "[\"" + UNREACHABLE + "\", \"" + small + "\", \"" + big + "\"]",
                "storagePool", "\"" + POOL + "\"",
                "memoryMiB", "1024",
                "network", "{\"mode\": \"network\", \"name\": \"default\"}",
                "privateKey", "\"file:" + key + "\""));
        fields.putAll(changes);
        return fields;
    }

    private static Lease acquire(Drydock drydock, BlueprintInfo blueprint) {
        return drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint.name()).acquireDeadline(Duration.ofMinutes(5)).build());
    }

    private static Optional<ResourceInfo> firstResource(Drydock drydock, BlueprintInfo blueprint) {
        return drydock.resources().stream().filter(r -> r.blueprintName().equals(blueprint.name())).min(Comparator.comparingLong(ResourceInfo::id));
    }

    /** The steps of one test, given the engine and the blueprint they use. */
    @FunctionalInterface
    private interface Steps {
        void run(Drydock drydock, BlueprintInfo blueprint) throws Exception;
    }

    /** Runs {@code steps} on an engine with a blueprint of {@code changes}, then destroys everything and deletes the blueprint. */
    private void withEngine(TestDatabase db, String name, Map<String, String> changes, Steps steps) throws Exception {
        String config = TestConfigs.json(TestConfigs.KERNEL_USER_MODE, settings(changes));
        try (Drydock drydock = Drydock.builder(db.dataSource()).register(new LibvirtHostBlueprint()).build();
             Taskmaster tm = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start()) {
            BlueprintInfo blueprint = drydock.blueprints().create(name, LibvirtHostBlueprint.TYPE, config, 2);
            try {
                steps.run(drydock, blueprint);
            } finally {
                EngineCleanUp.destroyEverything(drydock);
                drydock.blueprints().delete(name);
            }
        }
    }
}
