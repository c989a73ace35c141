package dev.drydock.testing.ec2;

import dev.drydock.testing.SshHost;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves instances through their lives on timers: pending → running once its sshd listens, shutting-down
 * → terminated once it is stopped, and terminated → gone from the listing. Timers run in real time, not
 * on an injected clock, because each instance is a real sshd process whose start takes real time.
 */
final class Lifecycle implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
    private static final int THREADS = 4;

    private final InstanceTable table;
    private final Ec2Faults faults;
    private final Ec2Timings timings;
    private final int sshPort;
    private final ScheduledExecutorService timers;

    Lifecycle(InstanceTable table, Ec2Faults faults, Ec2Timings timings, int sshPort) {
        this.table = table;
        this.faults = faults;
        this.timings = timings;
        this.sshPort = sshPort;
        AtomicInteger threads = new AtomicInteger();
        // Several threads, so twelve instances booting at once do not start their sshds one by one.
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(THREADS, task -> {
            Thread thread = new Thread(task, "fake-ec2-lifecycle-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // close() drops what is scheduled but lets a step that runs finish rather than interrupt an
        // sshd half started; the sshds are stopped after.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        this.timers = pool;
    }

    /** Called under the table lock for each instance a launch made. */
    void launched(FakeInstance instance) {
        after(faults.bootDelay(timings.bootDelay()), () -> boot(instance));
    }

    /** Called under the table lock: a user-initiated termination. */
    void terminate(FakeInstance instance) {
        table.move(instance, InstanceState.SHUTTING_DOWN,
                new FakeInstance.Reason("Client.UserInitiatedShutdown", "Client.UserInitiatedShutdown: User initiated shutdown"),
                "User initiated (" + Instant.now() + ")");
        Duration listedFor = listedFor();
        after(faults.shutdownDelay(timings.shutdownDelay()), () -> finish(instance, InstanceState.TERMINATED, listedFor));
    }

    /** The instance dies on its own: its sshd is killed now and it ends {@code endState} after the shutdown delay. */
    void die(String instanceId, InstanceState endState) {
        InstanceState passing = endState == InstanceState.TERMINATED ? InstanceState.SHUTTING_DOWN : InstanceState.STOPPING;
        FakeInstance instance = table.locked(() -> table.listed(instanceId))
                .orElseThrow(() -> new IllegalArgumentException("no instance " + instanceId + " is listed"));
        Optional<SshHost> sshd = table.locked(() -> {
            table.move(instance, passing, deathReason(instance, endState), "Service initiated (" + Instant.now() + ")");
            return instance.detachSshd();
        });
        sshd.ifPresent(SshHost::close); // SIGKILL: a dying machine does not say goodbye
        Duration listedFor = listedFor();
        after(faults.shutdownDelay(timings.shutdownDelay()), () -> finish(instance, endState, listedFor));
    }

    private static FakeInstance.Reason deathReason(FakeInstance instance, InstanceState endState) {
        if (endState == InstanceState.STOPPED) {
            return new FakeInstance.Reason("Client.InstanceInitiatedShutdown", "Client.InstanceInitiatedShutdown: Instance initiated shutdown");
        }
        return instance.spec().spot()
                ? new FakeInstance.Reason("Server.SpotInstanceTermination", "Server.SpotInstanceTermination: Spot instance termination")
                : new FakeInstance.Reason("Server.InternalError", "Server.InternalError: Internal error");
    }

    private void boot(FakeInstance instance) {
        if (table.locked(() -> instance.state() != InstanceState.PENDING)) {
            return;
        }
        SshHost sshd;
        try {
            sshd = SshHost.start(instance.address(), sshPort, instance.authorizedKeys());
        } catch (RuntimeException e) {
            log.warn("Instance {} could not start its sshd on {}:{}; it terminates as EC2 does on an internal error",
                    instance.id(), instance.address(), sshPort, e);
            table.locked(() -> {
                if (instance.state() == InstanceState.PENDING) {
                    table.move(instance, InstanceState.SHUTTING_DOWN,
                            new FakeInstance.Reason("Server.InternalError", "Server.InternalError: Internal error on launch"), "");
                    Duration listedFor = listedFor();
                    after(faults.shutdownDelay(timings.shutdownDelay()), () -> finish(instance, InstanceState.TERMINATED, listedFor));
                }
            });
            return;
        }
        HostKeys keys;
        try {
            keys = HostKeys.of(sshd);
        } catch (RuntimeException e) {
            sshd.close();
            throw e;
        }
        boolean running = table.locked(() -> {
            if (instance.state() != InstanceState.PENDING) {
                return false; // terminated or killed while its sshd started
            }
            instance.booted(sshd, keys, Instant.now());
            table.move(instance, InstanceState.RUNNING, FakeInstance.Reason.NONE, "");
            return true;
        });
        if (!running) {
            sshd.close();
        }
    }

    // How long an instance whose end starts now stays listed once terminated.
    private Duration listedFor() {
        return faults.terminatedListedFor(timings.terminatedListedFor());
    }

    private void finish(FakeInstance instance, InstanceState endState, Duration listedFor) {
        table.locked(instance::detachSshd).ifPresent(SshHost::close);
        table.locked(() -> {
            table.move(instance, endState, instance.reason(), instance.transitionReason());
            if (endState == InstanceState.TERMINATED) {
                after(listedFor, () -> table.locked(() -> table.unlist(instance)));
            }
        });
    }

    private void after(Duration delay, Runnable task) {
        try {
            timers.schedule(() -> {
                try {
                    task.run();
                } catch (Throwable e) {
                    log.error("Fake EC2 lifecycle step failed; the instance stays as it is", e);
                }
            }, delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            log.debug("Fake EC2 is closing; a lifecycle step is dropped");
        }
    }

    /** Stops the timers, then every sshd still running. */
    @Override
    public void close() {
        timers.shutdown();
        try {
            if (!timers.awaitTermination(30, TimeUnit.SECONDS)) {
                log.warn("Fake EC2 lifecycle threads did not stop within 30 s; closing the sshds anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<SshHost> running = table.locked(() -> table.listed().stream()
                .flatMap(instance -> instance.detachSshd().stream()).toList());
        // In parallel: each waits for its killed sshd to be reaped, and a test may have dozens.
        try (ExecutorService stopping = Executors.newVirtualThreadPerTaskExecutor()) {
            running.forEach(sshd -> stopping.submit(() -> {
                try {
                    sshd.close();
                } catch (RuntimeException e) {
                    log.warn("Could not stop {}; its shutdown hook tries again when the JVM exits", sshd, e);
                }
            }));
        }
    }
}
