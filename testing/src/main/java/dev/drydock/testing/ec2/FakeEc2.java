package dev.drydock.testing.ec2;

import dev.drydock.testing.TempFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An EC2 endpoint for tests: the Query protocol over HTTP on 127.0.0.1, answering RunInstances,
 * DescribeInstances, TerminateInstances, GetConsoleOutput and CreateTags well enough for the real AWS SDK
 * (pointed here with {@code endpointOverride}). Each instance is a real OpenSSH sshd on its own loopback
 * address (127.0.0.2 upward) that lets in its launch key pair, and its console prints that sshd's host key
 * as cloud-init does. Tests register what the account has ({@link #image}, {@link #subnet},
 * {@link #keyPair}), inject failures through {@link #faults()}, and read what happened through
 * {@link #calls()}, {@link #instances()}, {@link #allInstances()} and {@link #maxLiveInstances()}. See docs/testing-ec2.md.
 */
public final class FakeEc2 implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(FakeEc2.class);

    private enum State { NEW, STARTED, CLOSED }

    private final AtomicReference<State> state = new AtomicReference<>(State.NEW);
    private final Ec2Timings timings;
    private final int sshPort;
    private final InstanceTable table = new InstanceTable();
    private final Catalog catalog;
    private final CallLog calls = new CallLog();
    private final Lifecycle lifecycle;
    private final Ec2Faults faults;
    private final Thread closeOnExit = new Thread(this::close, "fake-ec2-reaper");
    // Set by start(); volatile because close() may run on the shutdown hook's thread.
    private volatile Path directory;
    private volatile QueryServer server;

    private FakeEc2(Builder builder) {
        this.timings = builder.timings;
        this.sshPort = builder.sshPort == 0 ? freePort() : builder.sshPort;
        this.catalog = new Catalog(builder.defaultZone);
        this.faults = new Ec2Faults();
        this.lifecycle = new Lifecycle(table, faults, timings, sshPort);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts listening and returns the endpoint, {@code http://127.0.0.1:PORT}. */
    public URI start() {
        if (!state.compareAndSet(State.NEW, State.STARTED)) {
            throw new IllegalStateException("a fake EC2 starts once; this one is " + state.get());
        }
        try {
            directory = Files.createTempDirectory("drydock-fake-ec2-"); // 0700, as every JDK temp directory
            HostKeys foreignKeys = HostKeys.generate(directory);
            List<Ec2Action> actions = List.of(
                    new RunInstances(table, catalog, faults, lifecycle),
                    new DescribeInstances(table),
                    new TerminateInstances(table, faults, lifecycle),
                    new GetConsoleOutput(table, faults, timings, foreignKeys),
                    new CreateTags(table));
            server = QueryServer.start(new Ec2Api(actions, table, faults, calls));
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("could not start the fake EC2", e);
        } catch (RuntimeException | Error e) {
            close();
            throw e;
        }
        // A test JVM that exits without closing the fake must not leave its sshds behind.
        Runtime.getRuntime().addShutdownHook(closeOnExit);
        log.info("Fake EC2 listening on {}; instances get sshd on 127.0.0.x:{}; {}", server.endpoint(), sshPort, timings);
        return server.endpoint();
    }

    public URI endpoint() {
        if (state.get() != State.STARTED) {
            throw new IllegalStateException("the fake EC2 has an endpoint only while started; it is " + state.get());
        }
        return server.endpoint();
    }

    /** Registers an AMI; launching any other fails with {@code InvalidAMIID.NotFound}. */
    public FakeEc2 image(String imageId) {
        catalog.image(Objects.requireNonNull(imageId, "imageId"));
        return this;
    }

    /** Registers a subnet in a zone; launching into any other fails with {@code InvalidSubnetID.NotFound}. */
    public FakeEc2 subnet(String subnetId, String availabilityZone) {
        catalog.subnet(Objects.requireNonNull(subnetId, "subnetId"), Objects.requireNonNull(availabilityZone, "availabilityZone"));
        return this;
    }

    /**
     * Registers a key pair by name with its public key (an authorized_keys line); instances launched with
     * it let its holder in as {@link #loginUser()}. Any other name fails with {@code InvalidKeyPair.NotFound}.
     */
    public FakeEc2 keyPair(String name, String publicKey) {
        catalog.keyPair(Objects.requireNonNull(name, "name"), Objects.requireNonNull(publicKey, "publicKey"));
        return this;
    }

    public Ec2Faults faults() {
        return faults;
    }

    /**
     * The instance dies on its own now, as after a spot interruption or a failed host: its sshd is
     * killed and it goes to {@code endState}, {@link InstanceState#TERMINATED} or {@link InstanceState#STOPPED},
     * through shutting-down or stopping.
     */
    public void instanceDies(String instanceId, InstanceState endState) {
        Objects.requireNonNull(instanceId, "instanceId");
        if (endState != InstanceState.TERMINATED && endState != InstanceState.STOPPED) {
            throw new IllegalArgumentException("an instance dies to terminated or stopped, not " + endState);
        }
        lifecycle.die(instanceId, endState);
    }

    /** Every call answered so far, in order. */
    public List<Ec2Call> calls() {
        return calls.calls();
    }

    public int callCount(String action) {
        return calls.count(action);
    }

    /** The instances DescribeInstances would list now (terminated ones until their listing time is up), in launch order. */
    public List<InstanceSnapshot> instances() {
        return table.locked(() -> table.listed().stream().map(FakeInstance::snapshot).toList());
    }

    /**
     * Every instance launched since the fake started, in launch order, as it is now: terminated ones
     * included after they left the listing, with their tags and ClientToken. For checks over the
     * whole history ("never two instances for one resource").
     */
    public List<InstanceSnapshot> allInstances() {
        return table.locked(() -> table.launched().stream().map(FakeInstance::snapshot).toList());
    }

    public Optional<InstanceSnapshot> instance(String instanceId) {
        return table.locked(() -> table.listed(instanceId).map(FakeInstance::snapshot));
    }

    /** Instances that exist now: launched and not yet terminated (shutting-down and stopped count). */
    public int liveInstances() {
        return table.live();
    }

    /** The most instances that existed at any one moment since the fake started. */
    public int maxLiveInstances() {
        return table.maxLive();
    }

    /** The port every instance's sshd listens on, each on its own address. */
    public int sshPort() {
        return sshPort;
    }

    /** The user instances let in: the one running the tests, as sshd can only log in real local users. */
    public String loginUser() {
        return System.getProperty("user.name");
    }

    /** Stops the endpoint, then every instance's sshd, and removes the fake's files. Idempotent. */
    @Override
    public void close() {
        State was = state.getAndSet(State.CLOSED);
        if (was == State.CLOSED) {
            return;
        }
        faults.releaseLaunchAnswers(); // held answers go (to closed connections) instead of holding threads
        if (server != null) {
            server.close();
        }
        lifecycle.close();
        if (directory != null) {
            TempFiles.deleteTree(directory);
        }
        if (was == State.STARTED && Thread.currentThread() != closeOnExit) {
            try {
                Runtime.getRuntime().removeShutdownHook(closeOnExit);
            } catch (IllegalStateException e) {
                // the JVM is shutting down; the hook runs or ran anyway
            }
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Settings fixed for the fake's life; what changes during a test goes through {@link #faults()}. */
    public static final class Builder {
        private Ec2Timings timings = Ec2Timings.DEFAULTS;
        private int sshPort;
        private String defaultZone = "us-east-1a";

        private Builder() {}

        public Builder timings(Ec2Timings timings) {
            this.timings = Objects.requireNonNull(timings, "timings");
            return this;
        }

        public Builder bootDelay(Duration bootDelay) {
            return timings(new Ec2Timings(bootDelay, timings.consoleDelay(), timings.shutdownDelay(), timings.terminatedListedFor()));
        }

        public Builder consoleDelay(Duration consoleDelay) {
            return timings(new Ec2Timings(timings.bootDelay(), consoleDelay, timings.shutdownDelay(), timings.terminatedListedFor()));
        }

        public Builder shutdownDelay(Duration shutdownDelay) {
            return timings(new Ec2Timings(timings.bootDelay(), timings.consoleDelay(), shutdownDelay, timings.terminatedListedFor()));
        }

        public Builder terminatedListedFor(Duration listedFor) {
            return timings(new Ec2Timings(timings.bootDelay(), timings.consoleDelay(), timings.shutdownDelay(), listedFor));
        }

        /** The port of every instance's sshd; 0 (the default) picks a free one when the fake is built. */
        public Builder sshPort(int sshPort) {
            if (sshPort < 0 || sshPort > 65535) {
                throw new IllegalArgumentException("sshPort must be 0 (pick a free one) to 65535, was " + sshPort);
            }
            this.sshPort = sshPort;
            return this;
        }

        /** The zone of launches that name no subnet (EC2's default VPC); default {@code us-east-1a}. */
        public Builder defaultZone(String zone) {
            this.defaultZone = Objects.requireNonNull(zone, "zone");
            return this;
        }

        public FakeEc2 build() {
            return new FakeEc2(this);
        }
    }
}
