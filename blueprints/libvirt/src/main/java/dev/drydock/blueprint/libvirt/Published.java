package dev.drydock.blueprint.libvirt;

import java.util.Objects;

/** What one hypervisor published for placement: its capacity, or that it could not be asked and why. */
sealed interface Published {
    String uri();

    /**
     * A reachable hypervisor's capacity, as libvirt's node info and our own rows have it.
     *
     * @param uri                 the hypervisor's URI, as configured
     * @param totalMemoryMiB      the host's memory (node info)
     * @param freeMemoryMiB       the host's memory that no running domain was given (see {@link Hypervisor#capacity})
     * @param cpus                the host's CPUs (node info)
     * @param ourVms              this blueprint's VMs on it, being built or running
     * @param ourPendingMemoryMiB memory of those VMs that are placed but not running yet, so not
     *                            subtracted from {@code freeMemoryMiB}: promised, not yet taken
     * @param ourVcpus            virtual CPUs of this blueprint's VMs on it
     */
    record Capacity(String uri, long totalMemoryMiB, long freeMemoryMiB, int cpus, int ourVms, long ourPendingMemoryMiB,
                    int ourVcpus) implements Published {
        public Capacity {
            Objects.requireNonNull(uri, "uri");
            if (totalMemoryMiB < 0 || freeMemoryMiB < 0 || cpus < 0 || ourVms < 0 || ourPendingMemoryMiB < 0 || ourVcpus < 0) {
                throw new IllegalArgumentException("capacity figures are never negative: " + uri);
            }
        }
    }

    /** A hypervisor that could not be asked (connection refused, timed out, …); placement skips it with {@code reason}. */
    record Unreachable(String uri, String reason) implements Published {
        public Unreachable {
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(reason, "reason");
        }
    }
}
