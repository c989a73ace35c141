package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.LibvirtDomainCensus;
import dev.drydock.testing.LibvirtEnvironment;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.Virsh;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The taskmaster daemon is killed with SIGKILL while libvirt-host VMs are being built under a real
 * libvirtd: first between a domain's define/start and the step that records its host key (the
 * domain exists in libvirt, its resource row does not know it), then while a recorded VM boots;
 * each time a new daemon carries on. Throughout, libvirt's own listing never shows two domains for
 * one resource (by name and by the owner in their metadata) nor more domains than the blueprint's
 * limit. At the end every lease was served (one runs {@code uname -a} through {@code exec}) or
 * broken with a reason; once released, every resource is destroyed, and after the reaper passes
 * that take a planted orphan and one more, no domain and no volume of the installation is left, and the reaper holds no candidate and no
 * listing error. A planted orphan (a defined domain and a seed volume named and tagged for a
 * resource id that has no row) is seen by one reaper pass and destroyed by a later one.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class LibvirtKilledDaemonTest {
    private static final String BLUEPRINT = "vm-killed";
    private static final int LIMIT = 2;
    private static final int LEASES = 3;
    private static final Duration REAP_INTERVAL = Duration.ofSeconds(10);
    /** Boots take 10–40 s on this shared 2-core machine; a kill adds a task lease and a rebuild. */
    private static final Duration WAIT = Duration.ofMinutes(6);
    /** Metadata namespace of the libvirt-host blueprint's owner element (its DomainXml). */
    private static final String OWNER_NAMESPACE = "https://drydock.dev/xmlns/libvirt/1";
    /** Resources being built that libvirt may already run a domain for, but whose row has no host key yet. */
    private static final String UNRECORDED = "SELECT id::text FROM dd_resource WHERE status = 'PENDING'"
            + " AND coalesce(attributes->>'hypervisor', '') <> '' AND attributes->>'host-key' IS NULL ORDER BY id";
    /** Resources whose VM is started and recorded, not yet ready. */
    private static final String BOOTING = "SELECT count(*) FROM dd_resource WHERE status = 'PENDING' AND attributes->>'host-key' IS NOT NULL";

    @RegisterExtension
    static final LibvirtEnvironment libvirt = new LibvirtEnvironment();

    @TempDir
    Path dir;

    private final List<Process> daemons = new ArrayList<>();
    private Path currentLog;
    private String pool;
    /** {@code drydock-<installation id>-}: what every name the blueprint gives starts with. */
    private String ours;

    @BeforeEach
    void setUp() {
        pool = libvirt.storagePool();
    }

    @AfterEach
    void tearDown() throws InterruptedException {
        daemons.forEach(Process::destroyForcibly);
        for (Process p : daemons) {
            p.waitFor();
        }
        if (ours != null) {
            LibvirtEnvironment.removeNamed(ours); // a failed run's VMs: no daemon is left to destroy them
        }
        libvirt.cleanUp();
    }

    @Test
    void noResourceGetsASecondDomainAndNothingIsLeftWhenTheTaskmasterDiesDuringBuilds(TestDatabase db) throws Exception {
        Cli cli = new Cli(db, dir);
        Cli.Result created = cli.run("blueprint", "create", "--type", "libvirt-host", "--name", BLUEPRINT,
                "--limit", Integer.toString(LIMIT), "--config", blueprintConfig().toString());
        assertThat(created.exitCode()).as(created.stderr()).isZero();
        String installation = Rows.strings(db, "SELECT id::text FROM dd_installation").getFirst();
        String blueprintId = Rows.strings(db, "SELECT id::text FROM dd_blueprint WHERE name = '" + BLUEPRINT + "'").getFirst();
        ours = "drydock-" + installation + "-";
        Cli.Result requested = cli.run("lease", "--type", "host", "--blueprint", BLUEPRINT, "--count", Integer.toString(LEASES), "--no-wait");
        assertThat(requested.exitCode()).as(requested.stderr()).isZero();

        List<String> kills = new ArrayList<>();
        try (LibvirtDomainCensus census = LibvirtDomainCensus.start(ours, 100)) {
            kills.add(killWhen(db, cli, 1, "a domain in libvirt whose resource recorded none", started -> definedUnrecorded(db, ours)));
            kills.add(killWhen(db, cli, 2, "a recorded VM booting", started -> booting(db, started)));

            start(cli, "survivor");
            await(db, "every lease served or broken", WAIT, () ->
                    count(db, "SELECT count(*) FROM dd_lease WHERE status NOT IN ('ACTIVE', 'BROKEN', 'DESTROYED')") == 0);
            String active = Rows.strings(db, "SELECT id::text FROM dd_lease WHERE status = 'ACTIVE' ORDER BY id").getFirst();
            Cli.Result uname = cli.runInItsOwnJvm("exec", active, "--", "uname", "-a");
            assertThat(uname.exitCode()).as(uname.stderr()).isZero();
            assertThat(uname.stdout()).startsWith("Linux drydock-");
            List<String> leases = Rows.strings(db, "SELECT id || ' ' || status || ' activated ' || coalesce(activated_at::text, 'never') || ': '"
                    + " || status_reason FROM dd_lease ORDER BY id");
            assertThat(count(db, "SELECT count(*) FROM dd_lease WHERE status = 'BROKEN' AND status_reason = ''"))
                    .as("every broken lease says why: %s", leases).isZero();

            Rows.releaseActiveLeases(db, cli);
            await(db, "every resource destroyed", WAIT, () -> count(db, "SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'") == 0);
            census.close();
            System.out.printf("LibvirtKilledDaemonTest: kills %s; %d resources, %d domain starts, at most %d domains at once (%d samples)%n", kills,
                    count(db, "SELECT count(*) FROM dd_resource"), LibvirtDomainCensus.starts(ours),
                    census.mostAtOnce(), census.samples());
            assertThat(census.samples()).as("libvirt listings taken").isPositive();
            assertThat(census.errors()).as("libvirt listings that failed").isEmpty();
            assertThat(census.mostAtOnce()).as("the blueprint's domains at once, as libvirt lists them").isPositive().isLessThanOrEqualTo(LIMIT);
            assertThat(census.namesByOwner()).as("domain names seen per owner resource (from their metadata)")
                    .allSatisfy((resource, names) -> assertThat(names).containsExactly(ours + blueprintId + "-" + resource));
            assertThat(count(db, "SELECT count(*) FROM dd_lease WHERE activated_at IS NULL AND status <> 'BROKEN' AND NOT EXISTS"
                    + " (SELECT 1 FROM dd_log g WHERE g.lease_id = dd_lease.id AND g.message LIKE '%-> BROKEN%')"))
                    .as("no lease ended without being served or broken: %s", leases).isZero();
        }

        // An orphan as a crash would leave it where no row names its resource: the reaper must take it,
        // on a pass at least one interval after the one that first saw it.
        long orphanId = count(db, "SELECT coalesce(max(id), 0) + 1000 FROM dd_resource");
        String orphan = ours + blueprintId + "-" + orphanId;
        plantOrphan(orphan, installation, blueprintId, orphanId);
        await(db, "a reaper pass sees the orphan", WAIT, () ->
                count(db, "SELECT count(*) FROM dd_reap_candidate WHERE object_id LIKE '%/" + orphan + "'") == 1);
        assertThat(Virsh.names(orphan, "list", "--all", "--name")).as("the first pass that sees the orphan only notes it").isNotEmpty();
        await(db, "the reaper destroys the orphan", WAIT, () -> Virsh.names(ours, "list", "--all", "--name").isEmpty()
                && Virsh.names(ours, "vol-list", pool).isEmpty());
        // The kills left the reaper nothing: everything it ever destroyed is the planted domain and its volume.
        List<String> reaped = Rows.strings(db, "SELECT message FROM dd_log WHERE message LIKE 'reaper destroyed%' ORDER BY id");
        assertThat(reaped).as("the reaper's log").anySatisfy(m -> assertThat(m).contains("domain/" + LibvirtEnvironment.URI + "/" + orphan)
                .contains("which has no row")).allSatisfy(m -> assertThat(m).contains(orphan));

        // One more pass after that (passes are an interval apart, so one that ends over half an interval after the
        // reaping is the next): nothing of the installation is on the hypervisor, nothing waits for the reaper.
        long reapedAt = count(db, "SELECT (extract(epoch FROM now()) * 1000)::bigint");
        await(db, "a reaper pass after the one that reaped the orphan", WAIT, () -> count(db,
                "SELECT count(*) FROM dd_reaper WHERE passed_at > to_timestamp(" + reapedAt + " / 1000.0) + interval '"
                        + REAP_INTERVAL.dividedBy(2).toMillis() + " milliseconds'") == 1);
        assertThat(Virsh.names(ours, "list", "--all", "--name")).as("domains of this installation left").isEmpty();
        assertThat(Virsh.names(ours, "vol-list", pool)).as("volumes of this installation left").isEmpty();
        assertThat(count(db, "SELECT count(*) FROM dd_reap_candidate")).as("objects the reaper still has in view").isZero();
        assertThat(count(db, "SELECT count(*) FROM dd_reaper WHERE list_error IS NOT NULL")).as("reaper listings that failed").isZero();
        assertThat(count(db, "SELECT coalesce(sum(active_leases), 0) FROM dd_resource")).isZero();
        assertThat(count(db, "SELECT resource_count FROM dd_blueprint WHERE name = '" + BLUEPRINT + "'")).isZero();
    }

    /**
     * Starts a daemon and kills it with SIGKILL once {@code window} names the moment it waits for
     * (polled until then); returns that name.
     */
    private String killWhen(TestDatabase db, Cli cli, int kill, String what, Function<Instant, Optional<String>> window) throws Exception {
        Instant started = Instant.now();
        Process victim = start(cli, "victim-" + kill);
        String[] hit = new String[1];
        await(db, "kill " + kill + ": " + what, WAIT, () -> {
            window.apply(started).ifPresent(moment -> hit[0] = moment);
            return hit[0] != null;
        });
        victim.destroyForcibly(); // SIGKILL
        victim.waitFor();
        return hit[0];
    }

    /**
     * Once libvirt lists a domain for a resource whose row has no host key: the domain was defined
     * (and maybe started) by a step whose result is not stored. If the builds outran the polling,
     * while one boots instead.
     */
    private static Optional<String> definedUnrecorded(TestDatabase db, String ours) {
        List<String> unrecorded = Rows.strings(db, UNRECORDED);
        List<String> domains = Virsh.names(ours, "list", "--all", "--name");
        for (String resource : unrecorded) {
            if (domains.stream().anyMatch(d -> d.endsWith("-" + resource))) {
                return Optional.of("defined, unrecorded (resource " + resource + ")");
            }
        }
        return count(db, BOOTING) > 0 && unrecorded.isEmpty() ? Optional.of("booting (the define window was missed)") : Optional.empty();
    }

    /**
     * While a VM whose host key is recorded boots and no domain waits to be recorded (a kill then
     * would cost a rebuild, another boot on this shared machine): preferably one the daemon started
     * at {@code started} defined, the rebuild after the first kill; after a few seconds of this
     * daemon, any; after every build if they outran it.
     */
    private static Optional<String> booting(TestDatabase db, Instant started) {
        if (!Rows.strings(db, UNRECORDED).isEmpty()) {
            return Optional.empty();
        }
        if (count(db, BOOTING + " AND (attributes->>'defined-at')::timestamptz > '" + started + "'::timestamptz") > 0) {
            return Optional.of("booting, defined by this daemon");
        }
        if (Duration.between(started, Instant.now()).toSeconds() <= 15) {
            return Optional.empty();
        }
        if (count(db, BOOTING) > 0) {
            return Optional.of("booting, defined by an earlier daemon");
        }
        return count(db, "SELECT count(*) FROM dd_resource WHERE status = 'PENDING'") == 0
                ? Optional.of("after every build (the builds outran the kills)") : Optional.empty();
    }

    /**
     * A domain (defined, never started: no boot) and its seed volume, named and tagged as the
     * blueprint names and tags those of resource {@code resourceId}, which has no row.
     */
    private void plantOrphan(String name, String installation, String blueprintId, long resourceId) throws IOException {
        Path domain = Files.writeString(dir.resolve("orphan.xml"), """
                <domain type='qemu'>
                  <name>%s</name>
                  <metadata><drydock:resource xmlns:drydock='%s' installation='%s' blueprint='%s' resource='%d'/></metadata>
                  <memory unit='MiB'>64</memory>
                  <os><type arch='x86_64' machine='pc'>hvm</type><kernel>%s</kernel></os>
                </domain>""".formatted(name, OWNER_NAMESPACE, installation, blueprintId, resourceId, LibvirtEnvironment.kernel()));
        Virsh.Result defined = Virsh.run("define", domain.toString());
        assertThat(defined.succeeded()).as(defined.output()).isTrue();
        Virsh.Result volume = Virsh.run("vol-create-as", pool, name + "-seed.iso", "1M", "--format", "raw");
        assertThat(volume.succeeded()).as(volume.output()).isTrue();
    }

    /** The test guest (LibvirtEnvironment) in user mode on ten random ports of 127.0.0.1, destroyed once idle, reaped every 10 s. */
    private Path blueprintConfig() throws IOException {
        Path key = dir.resolve("login");
        SshKeygen.generate(key, "drydock-libvirt-killed-test");
        int first = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
        return Files.writeString(dir.resolve("vms.json"), """
                {"hypervisors": ["%s"], "domainType": "qemu", "storagePool": "%s", "kernel": "%s", "initrd": "%s",
                 "kernelCommandLine": "%s", "memoryMiB": 256, "privateKey": "file:%s", "capacity": 2, "keepIdleMinutes": 0,
                 "network": {"mode": "user", "sshPortRange": "%d-%d", "restrict": true}, "bootTimeoutSeconds": 600, "reapSeconds": %d}"""
                .formatted(LibvirtEnvironment.URI, pool, LibvirtEnvironment.kernel(), LibvirtEnvironment.initrd(),
                        LibvirtEnvironment.KERNEL_COMMAND_LINE, key, first, first + 9, REAP_INTERVAL.toSeconds()));
    }

    private Process start(Cli cli, String name) throws IOException {
        currentLog = Files.createTempFile(dir, name, ".log");
        Process daemon = cli.daemon(currentLog, "--task-lease", "3s");
        daemons.add(daemon);
        return daemon;
    }

    /** Waits as {@link Await#until}; a timeout says where the rows, libvirt and the current daemon stood. */
    private void await(TestDatabase db, String what, Duration timeout, BooleanSupplier condition) {
        try {
            Await.until(what, timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + state(db), e);
        }
    }

    private String state(TestDatabase db) {
        return Rows.state(db, "(attributes - 'host-key')::text", currentLog) + "libvirt: " + Virsh.run("list", "--all").output() + "\n";
    }

    private static long count(TestDatabase db, String sql) {
        return db.queryLong(sql);
    }
}
