package dev.drydock.examples;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.drydock.api.Command;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseInfo;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceInfo;
import dev.drydock.blueprint.remotehost.RemoteHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.Taskmaster;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * A {@code remote-host} pool of one SSH host, in one process: the blueprint, an in-process
 * taskmaster, a lease on the host, a command and a file through the lease's interfaces (over SSH
 * and SFTP), and the release that removes the lease's directory on the host. The host comes from
 * environment variables:
 *
 * <ul>
 *   <li>{@code DRYDOCK_SSH_HOST} (required) — host name or address</li>
 *   <li>{@code DRYDOCK_SSH_PORT} — SSH port (default 22)</li>
 *   <li>{@code DRYDOCK_SSH_USER} — login user (default: the user running this program)</li>
 *   <li>{@code DRYDOCK_SSH_HOST_KEY} (required) — the host key: {@code SHA256:...} fingerprint or a known_hosts line</li>
 *   <li>{@code DRYDOCK_SSH_KEY_FILE} — the private key file (default {@code ~/.ssh/id_ed25519})</li>
 * </ul>
 *
 * Uses the PostgreSQL named by {@code DRYDOCK_DB_URL} ({@code jdbc:postgresql://HOST:PORT/DB?user=U&password=P})
 * if set, else a private one started for the run (see {@link TemporaryPostgres}).
 */
public final class RemoteHostMain {
    private RemoteHostMain() {}

    /**
     * The one host of the example's pool.
     *
     * @param host       host name or address
     * @param port       SSH port
     * @param user       login user
     * @param hostKey    {@code SHA256:...} fingerprint or known_hosts line of the host's key
     * @param privateKey a reference to the private key, {@code file:PATH} or {@code env:NAME}; never the key itself
     */
    public record Pool(String host, int port, String user, String hostKey, String privateKey) {
        public Pool {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(hostKey, "hostKey");
            Objects.requireNonNull(privateKey, "privateKey");
        }

        /** The blueprint configuration: this host as {@code h0}, one lease at a time, leases under {@code root}. */
        String config(String root) {
            return "{\"hosts\": [{\"name\": \"h0\", \"address\": " + Json.string(host) + ", \"port\": " + port + ", \"user\": " + Json.string(user)
                    + ", \"hostKey\": " + Json.string(hostKey) + "}], \"privateKey\": " + Json.string(privateKey) + ", \"capacity\": 1, \"root\": "
                    + Json.string(root) + "}";
        }

        /** The pool described by the {@code DRYDOCK_SSH_*} environment variables. */
        static Pool fromEnvironment(Map<String, String> env) {
            String keyFile = env.getOrDefault("DRYDOCK_SSH_KEY_FILE",
                    Path.of(System.getProperty("user.home"), ".ssh", "id_ed25519").toString());
            return new Pool(required(env, "DRYDOCK_SSH_HOST"), Integer.parseInt(env.getOrDefault("DRYDOCK_SSH_PORT", "22")),
                    env.getOrDefault("DRYDOCK_SSH_USER", System.getProperty("user.name")), required(env, "DRYDOCK_SSH_HOST_KEY"),
                    "file:" + keyFile);
        }

        private static String required(Map<String, String> env, String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new IllegalArgumentException(name + " is not set; see RemoteHostMain's documentation");
            }
            return value;
        }
    }

    public static void main(String[] args) throws IOException {
        Pool pool = Pool.fromEnvironment(System.getenv());
        ExampleDatabase.use(dataSource -> run(dataSource, pool, System.out));
    }

    /** Leases the pool's host, uses it, and releases it, printing each step. */
    public static void run(DataSource dataSource, Pool pool, PrintStream out) {
        String blueprint = "example-farm-" + Long.toString(System.currentTimeMillis(), 36);
        String root = "/tmp/drydock-example";
        try (Drydock drydock = Drydock.builder(dataSource).register(new RemoteHostBlueprint()).build();
             Taskmaster taskmaster = drydock.taskmaster().threads(2).build().start()) {
            drydock.blueprints().create(blueprint, RemoteHostBlueprint.TYPE, pool.config(root), 1);
            out.println("blueprint " + blueprint + " pools " + pool.user() + "@" + pool.host() + ":" + pool.port()
                    + "; taskmaster " + taskmaster.id() + " started");
            Lease lease = drydock.allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build());
            try (lease) {
                lease.await(Duration.ofSeconds(60));
                long resourceId = lease.info().resourceId().orElseThrow();
                Map<String, String> facts = drydock.resources().stream().filter(r -> r.id() == resourceId).findFirst()
                        .map(ResourceInfo::attributes).orElse(Map.of());
                out.println("lease " + lease.id() + " is active on resource " + resourceId + ": host " + facts.get("host")
                        + " (" + facts.get("os") + ", " + facts.get("cores") + " cores, " + facts.get("memory_kb") + " kB)");
                out.println("uname -a: " + lease.commandInterface().run(Command.of("uname", "-a")).stdoutText().strip());
                lease.filesystemInterface().write("hello.txt", "hello from drydock over ssh".getBytes(UTF_8));
                out.println("hello.txt read back: " + new String(lease.filesystemInterface().read("hello.txt"), UTF_8));
            }
            // Release is asynchronous: keep the taskmaster running until it has removed the lease's directory.
            LeaseInfo ended = lease.awaitEnded(Duration.ofSeconds(30));
            out.println("lease " + ended.id() + " is " + ended.status() + " (" + ended.statusReason() + ")");
        }
    }
}
