package dev.drydock.blueprint.libvirt;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses the hypervisor for a new VM from what each {@link Published}, a pure function of its
 * inputs. A hypervisor fits when it is reachable, holds fewer than {@code maxVms} of our VMs, has at
 * least the VM's vCPUs, and its free memory minus our promised memory minus
 * {@code reserveMemoryMiB} is at least the VM's memory. Among those that fit, the highest score
 * wins; equal scores go to the one listed first (the configuration's preference order).
 *
 * <p>Scores use the free fractions <em>after</em> the VM is placed, each in [0, 1]:
 * {@code m = (free − promised − reserve − vmMemory) / (total − reserve)} and
 * {@code c = 1 − (ourVcpus + vmVcpus) / cpus}. The cost of what is left free is convex,
 * {@code 10^m + 10^c} (between 2 and 20), as in E-PVM's exponential cost and Nomad's
 * {@code ScoreFit}:
 * <ul>
 *   <li>{@code binpack} (default): score {@code 20 − (10^m + 10^c)}, 0 to 18 — the hypervisor left
 *       fullest wins, and because the cost is convex a nearly full one beats a half-full one by far
 *       more than a half-full one beats an empty one, so VMs fill hypervisors one by one and whole
 *       hypervisors stay free for big VMs;</li>
 *   <li>{@code spread}: score {@code (10^m + 10^c) − 2}, 0 to 18 — the hypervisor left emptiest wins.</li>
 * </ul>
 * CPUs count only our VMs' vCPUs (libvirt publishes no host load), and a VM may overcommit them:
 * {@code c} is then 0, never a refusal.
 */
record Placement(boolean spread, int maxVms, long reserveMemoryMiB) {
    /** One hypervisor that fits, with its score. */
    record Scored(String uri, double score) {
        @Override
        public String toString() {
            return uri + " scores " + String.format(Locale.ROOT, "%.3f", score);
        }
    }

    /** One hypervisor that does not fit, and why, in words for {@code why}. */
    record Declined(String uri, String reason) {
        @Override
        public String toString() {
            return uri + ": " + reason;
        }
    }

    /**
     * The outcome of one choice: every hypervisor that fits, best first (the first is chosen), and
     * every one that does not, with its reason, in the order given.
     */
    record Choice(List<Scored> ranking, List<Declined> declined) {
        Optional<String> chosen() {
            return ranking.isEmpty() ? Optional.empty() : Optional.of(ranking.get(0).uri());
        }

        /** For {@code why} and the log: the choice and its decisive scores, or why none fits. */
        String explain() {
            if (ranking.isEmpty()) {
                return "no hypervisor fits: " + String.join("; ", declined.stream().map(Declined::toString).toList());
            }
            String text = "placed on " + ranking.get(0).uri() + " (" + String.join(", ", ranking.stream().map(Scored::toString).toList()) + ")";
            return declined.isEmpty() ? text : text + "; declined: " + String.join("; ", declined.stream().map(Declined::toString).toList());
        }
    }

    static Placement of(LibvirtConfig config) {
        return new Placement(config.spreads(), config.maxVmsOrUnlimited(), config.reserveMemoryMiBOrDefault());
    }

    Choice choose(List<Published> hypervisors, int memoryMiB, int vcpus) {
        List<Scored> ranking = new ArrayList<>();
        List<Declined> declined = new ArrayList<>();
        for (Published p : hypervisors) {
            switch (p) {
                case Published.Unreachable u -> declined.add(new Declined(u.uri(), "unreachable: " + u.reason()));
                case Published.Capacity c -> misfit(c, memoryMiB, vcpus).ifPresentOrElse(
                        reason -> declined.add(new Declined(c.uri(), reason)),
                        () -> ranking.add(new Scored(c.uri(), score(c, memoryMiB, vcpus))));
            }
        }
        // A stable sort keeps the given order among equal scores.
        ranking.sort(Comparator.comparingDouble(Scored::score).reversed());
        return new Choice(List.copyOf(ranking), List.copyOf(declined));
    }

    private Optional<String> misfit(Published.Capacity c, int memoryMiB, int vcpus) {
        if (c.ourVms() >= maxVms) {
            return Optional.of("holds " + c.ourVms() + " of this blueprint's VMs, its limit (maxVms " + maxVms + ")");
        }
        if (vcpus > c.cpus()) {
            return Optional.of("has " + c.cpus() + " CPUs, a VM needs " + vcpus);
        }
        long left = available(c);
        if (left < memoryMiB) {
            return Optional.of(c.freeMemoryMiB() + " MiB free, " + c.ourPendingMemoryMiB() + " MiB promised to VMs being built and "
                    + reserveMemoryMiB + " MiB kept for the host (reserveMemoryMiB) leave " + Math.max(0, left)
                    + " MiB, a VM needs " + memoryMiB + " MiB");
        }
        return Optional.empty();
    }

    private long available(Published.Capacity c) {
        return c.freeMemoryMiB() - c.ourPendingMemoryMiB() - reserveMemoryMiB;
    }

    private double score(Published.Capacity c, int memoryMiB, int vcpus) {
        long usable = c.totalMemoryMiB() - reserveMemoryMiB;
        double memoryFree = usable <= 0 ? 0 : clamp((double) (available(c) - memoryMiB) / usable);
        double cpuFree = c.cpus() == 0 ? 0 : clamp(1 - (double) (c.ourVcpus() + vcpus) / c.cpus());
        double cost = Math.pow(10, memoryFree) + Math.pow(10, cpuFree);
        return spread ? cost - 2 : 20 - cost;
    }

    private static double clamp(double fraction) {
        return Math.max(0, Math.min(1, fraction));
    }
}
