package dev.drydock.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Where a benchmark makes the directories it measures: a new directory under {@code --root}, else
 * under /dev/shm when that is a tmpfs, else in the JVM's temporary directory. Not on this machine's
 * disk by default: it is ext4 without a journal, where creating an inode skips every inode of its
 * group deleted in the last 30 s to 5 min, so the cost of a mkdir depends on how many directories
 * were removed in the minutes before, by this run or an earlier one (perf: 14 % of the machine in
 * ext4's find_inode_bit and recently_deleted), and back-to-back runs would not measure the same thing.
 */
final class ScratchRoot {
    private ScratchRoot() {}

    static Path create(Optional<Path> root, String prefix) throws IOException {
        if (root.isPresent()) {
            return Files.createTempDirectory(root.get(), prefix);
        }
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm) && "tmpfs".equals(Files.getFileStore(shm).type())) {
            return Files.createTempDirectory(shm, prefix);
        }
        return Files.createTempDirectory(prefix);
    }

    /** Removes {@code root} and everything in it; nothing when it does not exist. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
