package dev.drydock.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.spi.ObjectTags;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshKeygen;
import dev.drydock.testing.TestDatabase;
import dev.drydock.testing.ec2.Ec2Call;
import dev.drydock.testing.ec2.FakeEc2;
import dev.drydock.testing.ec2.InstanceSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The taskmaster daemon is killed with SIGKILL between EC2's RunInstances and storing its answer,
 * again and again: the fake EC2 (in this JVM) launches each instance at once but holds the answer,
 * so every kill lands when the instances exist and their resources record none. Each successor
 * asks again with the same ClientTokens and launches nothing new. Once the answers flow, every lease
 * is served, no resource ever had two instances (over the fake's whole history, terminated ones
 * included), and after everything is released every resource is destroyed and the fake has no live
 * instance, the reaper having found nothing left to reap: checked from the database's rows and the
 * fake's records.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class Ec2KilledDaemonTest {
    private static final int LIMIT = 4;
    private static final int LEASES = 6;
    private static final int KILLS = 3;
    private static final String BLUEPRINT = "ec2-killed";
    private static final String IMAGE = "ami-0123456789abcdef0";
    private static final String SUBNET_A = "subnet-0aaaaaaaaaaaaaaaa";
    private static final String SUBNET_B = "subnet-0bbbbbbbbbbbbbbbb";
    private static final Duration REAP_INTERVAL = Duration.ofSeconds(3);
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Resources being built whose launch is not recorded: the window the kills aim at. */
    private static final String UNRECORDED = "SELECT count(*) FROM dd_resource WHERE status = 'PENDING' AND attributes->>'instance_id' IS NULL";

    private final List<Process> daemons = new ArrayList<>();
    private Path currentLog;

    @Test
    void noResourceGetsASecondInstanceAndNoneIsLeftWhenTheTaskmasterDiesBetweenLaunchAndRecord(TestDatabase db, @TempDir Path dir)
            throws Exception {
        try (FakeEc2 fake = FakeEc2.builder().bootDelay(Duration.ofMillis(50)).consoleDelay(Duration.ofMillis(100))
                .shutdownDelay(Duration.ofMillis(50)).terminatedListedFor(Duration.ofSeconds(2)).build()) {
            fake.start();
            Path config = blueprintConfig(fake, dir);
            Cli cli = new Cli(db, dir);
            Cli.Result created = cli.run("blueprint", "create", "--type", "ec2-host", "--name", BLUEPRINT,
                    "--limit", Integer.toString(LIMIT), "--config", config.toString());
            assertThat(created.exitCode()).as(created.stderr()).isZero();
            fake.faults().holdLaunchAnswers();
            Cli.Result requested = cli.run("lease", "--type", "host", "--blueprint", BLUEPRINT, "--count", Integer.toString(LEASES), "--no-wait");
            assertThat(requested.exitCode()).as(requested.stderr()).isZero();

            try {
                Set<String> tokens = new TreeSet<>();
                for (int kill = 1; kill <= KILLS; kill++) {
                    killWhileLaunchesAreHeld(db, fake, cli, dir, kill, tokens);
                }
                assertThat(fake.allInstances()).as("one instance per resource being built, launched before the first kill")
                        .hasSize(LIMIT);

                fake.faults().clear(); // the held answers go to dead connections; the next asks are answered
                Process last = start(cli, dir, "survivor");
                await(db, fake, "every lease served (or broken) and released", Duration.ofSeconds(120), () -> {
                    Rows.releaseActiveLeases(db, cli);
                    return count(db, "SELECT count(*) FROM dd_lease WHERE status NOT IN ('DESTROYED', 'BROKEN')") == 0;
                });
                await(db, fake, "every resource destroyed", WAIT, () -> count(db, "SELECT count(*) FROM dd_resource WHERE status <> 'DESTROYED'") == 0);
                long destroyedAt = count(db, "SELECT (extract(epoch FROM now()) * 1000)::bigint");
                // an orphan is reaped on the second pass that sees it: give the reaper two intervals
                await(db, fake, "reaper passes for two intervals after the last destroy", WAIT, () -> count(db,
                        "SELECT count(*) FROM dd_reaper WHERE passed_at > to_timestamp(" + destroyedAt + " / 1000.0) + interval '"
                                + REAP_INTERVAL.multipliedBy(2).toMillis() + " milliseconds'") == 1);
                await(db, fake, "no live instance", WAIT, () -> fake.liveInstances() == 0);
                last.destroy();
                last.waitFor();
            } finally {
                daemons.forEach(Process::destroyForcibly);
                for (Process p : daemons) {
                    p.waitFor();
                }
            }

            // Leases: every one ended, served or broken with a reason (a broken lease is DESTROYED once cleaned up).
            List<String> leases = Rows.strings(db, "SELECT id || ' ' || status || ' activated ' || coalesce(activated_at::text, 'never') || ': '"
                    + " || status_reason FROM dd_lease ORDER BY id");
            assertThat(count(db, "SELECT count(*) FROM dd_lease WHERE status = 'BROKEN' AND status_reason = ''"))
                    .as("every broken lease says why: %s", leases).isZero();
            assertThat(count(db, "SELECT count(*) FROM dd_lease l WHERE activated_at IS NULL AND status <> 'BROKEN' AND NOT EXISTS"
                    + " (SELECT 1 FROM dd_log g WHERE g.lease_id = l.id AND g.message LIKE '%-> BROKEN%')"))
                    .as("no lease ended without being served or broken: %s", leases).isZero();
            assertThat(count(db, "SELECT count(*) FROM dd_lease WHERE activated_at IS NOT NULL"))
                    .as("all leases were served (their deadline is 10 minutes): %s", leases).isEqualTo(LEASES);

            // Instances: never two for one resource, over the whole history.
            List<InstanceSnapshot> history = fake.allInstances();
            Map<String, List<String>> byResource = history.stream().collect(Collectors.groupingBy(
                    i -> i.tags().getOrDefault(ObjectTags.RESOURCE, "(untagged)"), LinkedHashMap::new,
                    Collectors.mapping(InstanceSnapshot::instanceId, Collectors.toList())));
            assertThat(byResource).as("instances ever launched, by resource").allSatisfy((resource, ids) -> assertThat(ids).hasSize(1));
            assertThat(history).extracting(InstanceSnapshot::clientToken).doesNotHaveDuplicates();
            Map<String, String> recorded = recordedInstances(db);
            assertThat(byResource.keySet()).as("every instance belongs to a resource that recorded it").isEqualTo(recorded.keySet());
            recorded.forEach((resource, instance) -> assertThat(byResource.get(resource)).containsExactly(instance));
            assertThat(fake.liveInstances()).as("live instances at the end").isZero();
            assertThat(fake.maxLiveInstances()).as("the blueprint's limit held at every moment").isLessThanOrEqualTo(LIMIT);

            // The engine's books: nothing counted, nothing waiting for the reaper.
            assertThat(count(db, "SELECT resource_count FROM dd_blueprint WHERE name = '" + BLUEPRINT + "'")).isZero();
            assertThat(count(db, "SELECT coalesce(sum(active_leases), 0) FROM dd_resource")).isZero();
            assertThat(count(db, "SELECT count(*) FROM dd_reap_candidate")).as("orphans the reaper still has in view").isZero();
            assertThat(count(db, "SELECT count(*) FROM dd_reaper WHERE list_error IS NOT NULL")).as("reaper listings that failed").isZero();
            long reaped = count(db, "SELECT coalesce(sum(reaped), 0) FROM dd_reaper");
            System.out.printf("Ec2KilledDaemonTest: %d kills, %d RunInstances calls for %d instances (%d resources), %d reaped by the reaper%n",
                    KILLS, fake.callCount("RunInstances"), history.size(), recorded.size(), reaped);
        }
    }

    /**
     * Starts a daemon, waits until it has asked EC2 to launch an instance for every resource being
     * built (each answer held, so none is recorded), and kills it with SIGKILL.
     */
    private void killWhileLaunchesAreHeld(TestDatabase db, FakeEc2 fake, Cli cli, Path dir, int kill, Set<String> tokens) throws Exception {
        int callsBefore = fake.calls().size();
        Process victim = start(cli, dir, "victim-" + kill);
        await(db, fake, "kill " + kill + ": a held launch for each of " + LIMIT + " resources", WAIT, () ->
                launchTokensSince(fake, callsBefore).size() == LIMIT && count(db, UNRECORDED) == LIMIT);
        assertThat(fake.faults().launchAnswersHeld()).isGreaterThanOrEqualTo(LIMIT);
        victim.destroyForcibly(); // SIGKILL, while every one of its launches waits for its answer
        victim.waitFor();

        assertThat(count(db, UNRECORDED)).as("kill " + kill + ": resources whose launch is not recorded").isEqualTo(LIMIT);
        assertThat(count(db, "SELECT count(*) FROM dd_resource")).as("kill " + kill + ": no resource beyond the limit").isEqualTo(LIMIT);
        Set<String> asked = launchTokensSince(fake, callsBefore);
        if (kill == 1) {
            tokens.addAll(asked);
        } else {
            assertThat(asked).as("kill " + kill + ": the successor asked again with the first daemon's ClientTokens").isEqualTo(tokens);
        }
        Map<String, Long> launchedPerResource = fake.allInstances().stream()
                .collect(Collectors.groupingBy(i -> i.tags().getOrDefault(ObjectTags.RESOURCE, "(untagged)"), Collectors.counting()));
        assertThat(launchedPerResource).as("kill " + kill + ": instances launched per resource").hasSize(LIMIT)
                .allSatisfy((resource, n) -> assertThat(n).isEqualTo(1));
    }

    /** The ClientTokens of the RunInstances calls after the first {@code callsBefore} calls. */
    private static Set<String> launchTokensSince(FakeEc2 fake, int callsBefore) {
        List<Ec2Call> calls = fake.calls();
        return calls.subList(Math.min(callsBefore, calls.size()), calls.size()).stream()
                .filter(c -> c.action().equals("RunInstances")).map(c -> c.params().getOrDefault("ClientToken", ""))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private Process start(Cli cli, Path dir, String name) throws IOException {
        currentLog = Files.createTempFile(dir, name, ".log");
        Process daemon = cli.daemon(currentLog, "--task-lease", "3s");
        daemons.add(daemon);
        return daemon;
    }

    /** The instance id each resource recorded, by resource id. */
    private static Map<String, String> recordedInstances(TestDatabase db) {
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String row : Rows.strings(db, "SELECT id || ' ' || coalesce(attributes->>'instance_id', '') FROM dd_resource ORDER BY id")) {
            String[] parts = row.split(" ", -1);
            recorded.put(parts[0], parts[1]);
        }
        return recorded;
    }

    /** Waits as {@link Await#until}; a timeout says where the rows, the fake and the current daemon stood. */
    private void await(TestDatabase db, FakeEc2 fake, String what, Duration timeout, BooleanSupplier condition) {
        try {
            Await.until(what, timeout, condition);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + state(db, fake), e);
        }
    }

    private String state(TestDatabase db, FakeEc2 fake) {
        StringBuilder out = new StringBuilder(Rows.state(db, "attributes::text", currentLog));
        List<Ec2Call> calls = fake.calls();
        calls.subList(Math.max(0, calls.size() - 10), calls.size())
                .forEach(c -> out.append("EC2 ").append(c.at()).append(' ').append(c.action()).append(' ').append(c.outcome()).append('\n'));
        out.append("instances: ").append(fake.allInstances().stream().map(i -> i.instanceId() + " " + i.state() + " " + i.tags().get(ObjectTags.RESOURCE))
                .toList()).append('\n');
        return out.toString();
    }

    /** The blueprint's configuration: the fake's endpoint, credentials and the SSH key as files, fast lists and reaps. */
    private static Path blueprintConfig(FakeEc2 fake, Path dir) throws IOException {
        fake.image(IMAGE).subnet(SUBNET_A, "us-east-1a").subnet(SUBNET_B, "us-east-1b");
        Path key = dir.resolve("ec2-key");
        SshKeygen.generate(key, "drydock-ec2-killed-test");
        fake.keyPair("drydock", Files.readString(SshKeygen.publicKeyOf(key)));
        Path accessKey = secret(dir.resolve("access-key"), "AKIAFAKEFAKEFAKE0001");
        Path secretKey = secret(dir.resolve("secret-key"), "fake-secret-key-never-printed-0123456789");
        String json = """
                {"region": "us-east-1", "endpoint": "%s",
                 "accessKeyId": "file:%s", "secretAccessKey": "file:%s",
                 "imageId": "%s", "instanceTypes": ["t3.micro"], "subnets": ["%s", "%s"],
                 "keyName": "drydock", "privateKey": "file:%s", "sshUser": "%s", "sshPort": %d,
                 "readinessCommand": ["true"], "capacity": 1,
                 "listSeconds": 0.2, "callsPerSecond": 200, "healthCheckSeconds": 1, "reapMinutes": %s, "root": "%s"}
                """.formatted(fake.endpoint(), accessKey, secretKey, IMAGE, SUBNET_A, SUBNET_B, key, fake.loginUser(), fake.sshPort(),
                REAP_INTERVAL.toMillis() / 60_000.0, dir.resolve("instances"));
        return Files.writeString(dir.resolve("ec2.json"), json);
    }

    private static Path secret(Path file, String value) throws IOException {
        Files.writeString(file, value);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    private static long count(TestDatabase db, String sql) {
        return db.queryLong(sql);
    }
}
