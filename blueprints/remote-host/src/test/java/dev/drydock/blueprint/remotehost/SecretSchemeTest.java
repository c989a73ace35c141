package dev.drydock.blueprint.remotehost;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.SecretUnavailableException;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pool's key may come from a secret scheme the application registered (here {@code vault:}, read
 * from the test's own store): the key is read through it when a host is used, and a scheme nobody
 * registered is refused when the blueprint is created, without reading anything.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class SecretSchemeTest {
    @TempDir
    static Path temp;

    @Test
    void aKeyFromARegisteredSchemeLogsInAndAnUnknownSchemeIsRefusedAtCreate(TestDatabase db) throws Exception {
        Set<String> asked = ConcurrentHashMap.newKeySet();
        Path remoteRoot = Files.createTempDirectory(temp, "remote-root");
        try (RemotePool pool = new RemotePool(db, 1, builder -> builder.secretScheme("vault", reference -> {
            asked.add(reference);
            if (!reference.equals("vault:pool-key")) {
                throw new SecretUnavailableException(reference, "no such entry in the vault");
            }
            return readKey(pool0Key.get());
        }))) {
            pool0Key.set(pool.hosts.get(0).userPrivateKeyPath());
            String fileConfig = pool.config(1, remoteRoot.toString());
            String vaultConfig = fileConfig.replace("file:" + pool.hosts.get(0).userPrivateKeyPath(), "vault:pool-key");

            assertThatThrownBy(() -> pool.drydock.blueprints().create("elsewhere", "remote-host",
                    fileConfig.replace("file:" + pool.hosts.get(0).userPrivateKeyPath(), "nosuch:pool-key"), 1))
                    .isInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("hosts[0].privateKey").hasMessageContaining("'nosuch:' is not a secret scheme");
            assertThat(asked).as("nothing is read to check a scheme").isEmpty();

            pool.drydock.blueprints().create("vaulted", "remote-host", vaultConfig, 1);
            try (Lease lease = pool.drydock.allocator().acquire(LeaseRequest.builder("host").build())) {
                lease.await(Duration.ofSeconds(60));
                assertThat(lease.commandInterface().run(Command.of("true")).exitCode()).isZero();
            }
            assertThat(asked).as("the key came from the vault").contains("vault:pool-key");
        }
    }

    private final java.util.concurrent.atomic.AtomicReference<Path> pool0Key = new java.util.concurrent.atomic.AtomicReference<>();

    private static String readKey(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
