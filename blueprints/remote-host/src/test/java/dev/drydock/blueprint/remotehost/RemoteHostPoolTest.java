package dev.drydock.blueprint.remotehost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drydock.api.Command;
import dev.drydock.api.CommandResult;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseBrokenException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.SshHost;
import dev.drydock.testing.TestDatabase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Leasing from a pool of real OpenSSH hosts. */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class RemoteHostPoolTest {
    @TempDir
    static Path temp;

    @Test
    void thirtyTwoLeasesShareThreeHostsOfCapacityTwoAndNoKeyMaterialIsEverLogged(TestDatabase db) throws Exception {
        ListAppender<ILoggingEvent> captured = new ListAppender<>();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        captured.start();
        root.addAppender(captured);
        Path remoteRoot = Files.createTempDirectory(temp, "remote-root");
        try (RemotePool pool = new RemotePool(db, 3)) {
            pool.drydock.blueprints().create("farm", "remote-host", pool.config(2, remoteRoot.toString()), 3);
            List<Callable<String>> work = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                work.add(() -> {
                    try (Lease lease = pool.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("farm").build())) {
                        lease.await(Duration.ofMinutes(2));
                        lease.filesystemInterface().write("in.txt", ("lease " + n).getBytes(StandardCharsets.UTF_8));
                        CommandResult r = lease.commandInterface().run(Command.of("cat", "in.txt"));
                        return r.stdoutText();
                    }
                });
            }
            ExecutorService threads = Executors.newFixedThreadPool(32);
            List<String> outputs = new ArrayList<>();
            for (Future<String> f : threads.invokeAll(work)) {
                outputs.add(f.get());
            }
            threads.shutdown();
            Await.until("all leases cleaned up", Duration.ofSeconds(60),
                    () -> db.queryLong("SELECT count(*) FROM dd_lease WHERE status <> 'DESTROYED' AND 'farm' = ANY(allowed_blueprints)") == 0);

            for (int i = 0; i < 32; i++) {
                assertThat(outputs).contains("lease " + i);
            }
            assertThat(db.queryLong("SELECT count(*) FROM dd_resource r JOIN dd_blueprint b ON b.id = r.blueprint_id WHERE b.name = 'farm'"))
                    .as("one resource per host").isEqualTo(3);
            assertThat(db.queryLong("""
                    SELECT coalesce(max(n), 0) FROM (
                      SELECT l.id, count(*) AS n FROM (SELECT * FROM dd_lease WHERE 'farm' = ANY(allowed_blueprints)) l JOIN dd_lease m
                        ON m.resource_id = l.resource_id AND m.activated_at <= l.activated_at
                       AND (m.released_at IS NULL OR m.released_at > l.activated_at)
                      GROUP BY l.id) x""")).as("most leases active at once on one host").isLessThanOrEqualTo(2);
            assertThat(pool.drydock.resources()).filteredOn(r -> r.blueprintName().equals("farm")).hasSize(3).allSatisfy(r -> {
                assertThat(r.attributes()).containsKeys("os", "cores", "memory_kb");
                assertThat(r.attributes().get("os")).startsWith("Linux");
            });
            assertNoKeyMaterial(pool.hosts, captured, db);
        } finally {
            root.detachAppender(captured);
        }
    }

    @Test
    void aHostWhoseSshdDiesBreaksItsResourceAndLeaseWhileTheOthersServeOn(TestDatabase db) throws Exception {
        Path remoteRoot = Files.createTempDirectory(temp, "remote-root");
        try (RemotePool pool = new RemotePool(db, 2)) {
            pool.drydock.blueprints().create("pair", "remote-host", pool.config(1, remoteRoot.toString()), 2);
            Lease a = pool.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("pair").build()).await(Duration.ofSeconds(60));
            Lease b = pool.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("pair").build()).await(Duration.ofSeconds(60));
            ResourceInfo onA = resource(pool, a);
            int victim = Integer.parseInt(onA.attributes().get("drydock.slot").substring(1));

            pool.hosts.get(victim).kill();

            Await.until("the dead host's lease breaks", Duration.ofSeconds(60), () -> a.info().status().isDone());
            assertThatThrownBy(() -> a.await(Duration.ofSeconds(1))).isInstanceOf(LeaseBrokenException.class)
                    .hasMessageContaining("h" + victim).hasMessageContaining("broke");
            Await.until("the dead host's resource is broken", Duration.ofSeconds(30),
                    () -> resourceById(pool, onA.id()).status() != ResourceStatus.ACTIVE);
            assertThat(resourceById(pool, onA.id()).statusReason()).contains("h" + victim);
            assertThat(b.commandInterface().run(Command.of("true")).exitCode()).as("the other host still serves").isZero();
            b.release();
            Lease c = pool.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("pair").build()).await(Duration.ofSeconds(60));
            assertThat(resource(pool, c).attributes().get("drydock.slot")).isEqualTo("h" + (1 - victim));
            assertThat(pool.drydock.logs(java.util.Optional.empty(), java.util.Optional.of(onA.id()), java.util.Optional.empty(), 0, 100))
                    .as("the operator sees it in the logs").anySatisfy(e -> assertThat(e.message()).contains("-> BROKEN"));
            c.release();
        }
    }

    @Test
    void aChangedHostKeyAndAWrongUserKeyAreRefusedWithMessagesThatSayWhy(TestDatabase db) throws Exception {
        Path remoteRoot = Files.createTempDirectory(temp, "remote-root");
        try (RemotePool pool = new RemotePool(db, 1)) {
            SshHost host = pool.hosts.get(0);
            String oldFingerprint = host.hostKeyFingerprint();
            host.replaceHostKey();
            String config = pool.config(1, remoteRoot.toString()).replace(host.hostKeyFingerprint(), oldFingerprint);
            pool.drydock.blueprints().create("changed", "remote-host", config, 1);
            Path wrongKey = Files.createTempDirectory(temp, "wrong-key").resolve("id");
            Files.writeString(wrongKey, SshHost.generatePrivateKeyPem(wrongKey.getParent()));
            String wrong = pool.config(1, remoteRoot.toString()).replace("file:" + host.userPrivateKeyPath(), "file:" + wrongKey);
            pool.drydock.blueprints().create("wrong-user-key", "remote-host", wrong, 1);
            // both leases at once: the user key's refusal is awaited while the first lease waits out its deadline
            Lease refused = pool.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("changed")
                    .acquireDeadline(Duration.ofSeconds(5)).build());
            pool.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("wrong-user-key")
                    .acquireDeadline(Duration.ofSeconds(5)).build());

            Await.until("a resource refused for its host key", Duration.ofSeconds(30), () -> pool.drydock.resources().stream()
                    .anyMatch(r -> r.blueprintName().equals("changed") && r.statusReason().contains(host.hostKeyFingerprint())));
            assertThat(pool.drydock.resources().stream().filter(r -> r.blueprintName().equals("changed")).findFirst().orElseThrow()
                    .statusReason()).contains(host.port() + "").contains(host.hostKeyFingerprint());
            Await.until("a resource refused for its user key", Duration.ofSeconds(30), () -> pool.drydock.resources().stream()
                    .anyMatch(r -> r.blueprintName().equals("wrong-user-key") && r.status() != ResourceStatus.PENDING
                            && r.statusReason().contains(host.user() + "@")));
            assertThatThrownBy(() -> refused.await(Duration.ofSeconds(30))).isInstanceOf(LeaseBrokenException.class);
        }
    }

    @Test
    void disablingAHostLeavesItsLeaseInFlightAloneAndRetiresItWhenIdle(TestDatabase db) throws Exception {
        Path remoteRoot = Files.createTempDirectory(temp, "remote-root");
        try (RemotePool pool = new RemotePool(db, 2)) {
            String config = pool.config(2, remoteRoot.toString());
            pool.drydock.blueprints().create("shrinking", "remote-host", config, 2);
            Lease inFlight = pool.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("shrinking").build())
                    .await(Duration.ofSeconds(60));
            ResourceInfo first = resource(pool, inFlight);
            String disabledHost = first.attributes().get("drydock.slot");

            pool.drydock.blueprints().update("shrinking", java.util.Optional.of(config.replace(
                    "\"name\": \"" + disabledHost + "\",", "\"name\": \"" + disabledHost + "\", \"enabled\": false,")),
                    java.util.Optional.empty(), java.util.Optional.empty());
            Lease next = pool.drydock.allocator().acquire(LeaseRequest.builder("host").blueprint("shrinking").build())
                    .await(Duration.ofSeconds(60));

            assertThat(resource(pool, next).attributes().get("drydock.slot")).as("new leases avoid the disabled host")
                    .isNotEqualTo(disabledHost);
            assertThat(inFlight.commandInterface().run(Command.of("true")).exitCode()).as("the lease in flight still works").isZero();
            inFlight.release();
            Await.until("the disabled host's idle resource is retired", Duration.ofSeconds(60),
                    () -> resourceById(pool, first.id()).status() == ResourceStatus.DESTROYED);
            next.release();
        }
    }

    @Test
    void inlineKeyMaterialInAConfigurationIsRefused(TestDatabase db) {
        try (RemotePool pool = new RemotePool(db, 1)) {
            String inline = pool.config(1, "/tmp/x").replace("file:" + pool.hosts.get(0).userPrivateKeyPath(),
                    "-----BEGIN OPENSSH PRIVATE KEY-----");
            assertThatThrownBy(() -> pool.drydock.blueprints().create("inline", "remote-host", inline, 1))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("privateKey")
                    .hasMessageNotContaining("BEGIN OPENSSH");
            String badHostKey = pool.config(1, "/tmp/x").replace(pool.hosts.get(0).hostKeyFingerprint(), "not-a-host-key");
            assertThatThrownBy(() -> pool.drydock.blueprints().create("bad-host-key", "remote-host", badHostKey, 1))
                    .isInstanceOf(InvalidRequestException.class).hasMessageContaining("hostKey");
            assertThat(pool.drydock.blueprints().find("inline")).as("nothing stored").isEmpty();
            assertThat(pool.drydock.blueprints().find("bad-host-key")).as("nothing stored").isEmpty();
        }
    }

    private static ResourceInfo resource(RemotePool pool, Lease lease) {
        return resourceById(pool, lease.info().resourceId().orElseThrow());
    }

    private static ResourceInfo resourceById(RemotePool pool, long id) {
        return pool.drydock.resources().stream().filter(r -> r.id() == id).findFirst().orElseThrow();
    }

    /** Everything logged, stored or shown must be free of private key material. */
    private static void assertNoKeyMaterial(List<SshHost> hosts, ListAppender<ILoggingEvent> captured, TestDatabase db) {
        List<String> secrets = new ArrayList<>();
        for (SshHost h : hosts) {
            h.userPrivateKeyPem().lines().filter(l -> !l.startsWith("-----") && l.length() > 20).forEach(secrets::add);
        }
        assertThat(secrets).isNotEmpty();
        StringBuilder everything = new StringBuilder();
        captured.list.forEach(e -> everything.append(e.getFormattedMessage()).append('\n')
                .append(e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()).append('\n'));
        for (String table : List.of("SELECT string_agg(message, E'\\n') FROM dd_log",
                "SELECT string_agg(status_reason || attributes::text, E'\\n') FROM dd_resource",
                "SELECT string_agg(status_reason || lease_attributes::text, E'\\n') FROM dd_lease",
                "SELECT string_agg(config::text, E'\\n') FROM dd_blueprint",
                "SELECT string_agg(coalesce(last_error, '') || payload::text, E'\\n') FROM tq_task_archive")) {
            everything.append(textOf(db, table)).append('\n');
        }
        assertThat(everything).as("log lines, log rows, reasons, attributes, configs and task payloads").isNotEmpty();
        for (String secret : secrets) {
            assertThat(everything.toString()).doesNotContain(secret);
        }
        assertThat(everything.toString()).doesNotContain("PRIVATE KEY");
    }

    private static String textOf(TestDatabase db, String sql) {
        try (var c = db.connect(); var s = c.createStatement(); var rs = s.executeQuery(sql)) {
            rs.next();
            return String.valueOf(rs.getString(1));
        } catch (java.sql.SQLException e) {
            throw new AssertionError(sql, e);
        }
    }
}
