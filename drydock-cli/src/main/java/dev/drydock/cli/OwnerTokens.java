package dev.drydock.cli;

import dev.drydock.api.DrydockException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The owner tokens of the leases this OS user acquired through the CLI, so that later commands
 * ({@code exec}, {@code fs}, {@code release}) act as the lease's holder. One file per lease,
 * {@code DRYDOCK_HOME/owner-tokens/INSTALLATION/lease-ID}, keyed by the database's installation id as
 * well as the lease id, since lease ids of two databases collide. Guarantees: every directory it
 * creates is {@code 0700} and every token file {@code 0600}, both from the moment they exist (a token
 * is written to a private temporary file and renamed into place); a token is never printed.
 */
public final class OwnerTokens {
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> PRIVATE_FILE = PosixFilePermissions.fromString("rw-------");

    private final Path directory;

    /** @param installationId the database's {@code Drydock.installationId()} */
    public OwnerTokens(Path home, String installationId) {
        Objects.requireNonNull(home, "home");
        if (!installationId.matches("[0-9a-f-]{36}")) {
            throw new DrydockException("the database's installation id '" + installationId + "' is not a UUID; run drydock-control migrate");
        }
        this.directory = home.resolve("owner-tokens").resolve(installationId);
    }

    /** The DRYDOCK_HOME they are kept in, for messages. */
    public Path home() {
        return directory.getParent().getParent();
    }

    /** Where the tokens of this database's leases are kept, for messages. */
    public Path directory() {
        return directory;
    }

    public void save(long leaseId, String ownerToken) {
        Path temp = directory.resolve(".lease-" + leaseId + "-" + UUID.randomUUID() + ".tmp");
        try {
            createPrivate(home());
            createPrivate(directory.getParent());
            createPrivate(directory);
            try (var channel = Files.newByteChannel(temp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                    PosixFilePermissions.asFileAttribute(PRIVATE_FILE))) {
                channel.write(java.nio.ByteBuffer.wrap(ownerToken.getBytes(StandardCharsets.UTF_8)));
            }
            Files.setPosixFilePermissions(temp, PRIVATE_FILE); // exactly 0600, whatever the umask
            move(temp, file(leaseId));
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw new DrydockException("could not keep the owner token of lease " + leaseId + " in " + directory + ": "
                    + e.getMessage() + " (set DRYDOCK_HOME to a directory you can write; release the lease with --operator)", e);
        }
    }

    /** The token of a lease this user acquired, if it is kept here. */
    public Optional<String> find(long leaseId) {
        try {
            return Optional.of(Files.readString(file(leaseId), StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new DrydockException("could not read the owner token of lease " + leaseId + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a lease's token once the lease has ended; nothing if none is kept. */
    public void forget(long leaseId) {
        try {
            Files.deleteIfExists(file(leaseId));
        } catch (IOException e) {
            throw new DrydockException("could not delete the owner token of ended lease " + leaseId + " in " + directory + ": " + e.getMessage(), e);
        }
    }

    Path file(long leaseId) {
        return directory.resolve("lease-" + leaseId);
    }

    // A directory this creates is private from its first moment; one that exists is left as it is,
    // except the two that are this store's own, which are made private again.
    private void createPrivate(Path dir) throws IOException {
        try {
            Files.createDirectories(dir.getParent());
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                throw new IOException(dir + " is not a directory");
            }
            if (!dir.equals(home())) {
                Files.setPosixFilePermissions(dir, PRIVATE_DIRECTORY);
            }
        }
    }

    private static void move(Path temp, Path target) throws IOException {
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
