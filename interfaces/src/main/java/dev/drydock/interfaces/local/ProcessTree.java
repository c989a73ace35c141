package dev.drydock.interfaces.local;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kills a process and everything it started. Best effort by nature: a process that forks in the
 * instant between the snapshot of descendants and the kill, or that detached from the tree before
 * (a daemon's double fork), escapes.
 */
final class ProcessTree {
    private static final Logger log = LoggerFactory.getLogger(ProcessTree.class);

    private ProcessTree() {}

    static void kill(Process process) {
        // Snapshot while the root is alive: once it dies its children are re-parented and
        // descendants() can no longer find them.
        List<ProcessHandle> descendants = process.descendants().toList();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        log.debug("Killed pid {} and {} descendants", process.pid(), descendants.size());
    }
}
