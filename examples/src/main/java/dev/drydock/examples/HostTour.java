package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.drydock.api.Command;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.ResourceStatus;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The steps the examples of machine-building blueprints (EC2 instances, libvirt VMs) share, one
 * printed line each: create a blueprint, start a taskmaster in the process, lease a {@code host},
 * run {@code uname -a}, write and read back a file, release, and wait until the machine the lease
 * was on is destroyed.
 *
 * @param active   how long the lease may take to become active (the machine's build and boot)
 * @param destroy  how long the machine may take to be destroyed after the release
 * @param greeting what the file written on the machine holds
 * @param describe what the line "lease N is active on ..." says of the machine, from its resource's attributes
 */
record HostTour(Duration active, Duration destroy, String greeting, Function<Map<String, String>, String> describe) {
    /** Runs the tour on a new machine of a blueprint of {@code implementation}'s type with {@code config}. */
    void run(DataSource dataSource, BlueprintImplementation<?> implementation, String config, PrintStream out) {
        String blueprint = "example-" + implementation.type() + "-" + Long.toString(System.currentTimeMillis(), 36);
        try (Drydock drydock = Drydock.builder(dataSource).register(implementation).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(4).build().start()) {
            drydock.blueprints().create(blueprint, implementation.type(), config, 1);
            out.println("blueprint " + blueprint + " created; taskmaster " + taskmaster.id() + " started");
            lease(drydock, blueprint, out);
        }
    }

    private void lease(Drydock drydock, String blueprint, PrintStream out) {
        Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).acquireDeadline(active).build());
        long resourceId;
        try (lease) {
            lease.await(active);
            resourceId = lease.info().resourceId().orElseThrow();
            Map<String, String> facts = drydock.resource(resourceId).map(ResourceInfo::attributes).orElse(Map.of());
            out.println("lease " + lease.id() + " is active on " + describe.apply(facts));
            out.println("uname -a: " + lease.commandInterface().run(Command.of("uname", "-a")).stdoutText().strip());
            lease.filesystemInterface().write("hello.txt", greeting.getBytes(UTF_8));
            out.println("hello.txt read back: " + new String(lease.filesystemInterface().read("hello.txt"), UTF_8));
        }
        LeaseInfo ended = lease.awaitEnded(Duration.ofSeconds(60));
        out.println("lease " + ended.id() + " is " + ended.status());
        awaitDestroyed(drydock, resourceId, destroy);
        out.println("resource " + resourceId + " is " + drydock.resource(resourceId).map(ResourceInfo::status).orElseThrow()
                + ": " + drydock.resource(resourceId).map(ResourceInfo::statusReason).orElse(""));
    }

    /**
     * Keeps the taskmaster running until the idle machine is destroyed (the blueprints keep none
     * unless keepIdleMinutes says so): an example that stopped at once would leave it running, and
     * paid for or holding the hypervisor's memory, until a taskmaster next ran.
     */
    private static void awaitDestroyed(Drydock drydock, long resourceId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (drydock.resource(resourceId).map(r -> r.status() != ResourceStatus.DESTROYED).orElse(false)
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
