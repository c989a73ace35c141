package dev.drydock.blueprint.webroot;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Configuration of a {@code webroot} blueprint, read from JSON. Every field is optional.
 *
 * @param hostBlueprints        names of the host blueprints a web root's server may be leased on (default any)
 * @param hostAttributes        attributes the host lease requires (default none)
 * @param workingCopyBlueprints names of the working-copy blueprints its leases' checkouts may come from (default any)
 * @param ports                 the ports its servers listen on, {@code FIRST-LAST} (default {@value #DEFAULT_PORTS}); one per lease
 * @param address               the address servers listen on and URIs name (default: the host's recorded
 *                              {@code address}, else {@code 127.0.0.1})
 * @param server                {@code auto} (nginx, else busybox httpd, else python3), {@code nginx}, {@code busybox}
 *                              or {@code python} (default auto)
 * @param capacity              leases one web root serves at once, 1 to 1000 (default {@value #DEFAULT_CAPACITY})
 * @param readySeconds          how long a lease's URI may take to answer 200 before the lease fails (default 30)
 * @param keepIdleMinutes       how long a web root with no leases is kept for the next; 0 destroys it at once (default 10)
 */
public record WebrootConfig(List<String> hostBlueprints, Map<String, String> hostAttributes, List<String> workingCopyBlueprints,
                            String ports, String address, String server, Integer capacity, Integer readySeconds,
                            Integer keepIdleMinutes) {
    public static final String DEFAULT_PORTS = "8100-8199";
    public static final int DEFAULT_CAPACITY = 8;

    List<String> hostBlueprintsOrAny() {
        return hostBlueprints == null ? List.of() : hostBlueprints;
    }

    Map<String, String> hostAttributesOrNone() {
        return hostAttributes == null ? Map.of() : hostAttributes;
    }

    List<String> workingCopyBlueprintsOrAny() {
        return workingCopyBlueprints == null ? List.of() : workingCopyBlueprints;
    }

    /** The port range; call only on a configuration that passed {@link WebrootChecks}. */
    PortRange portRange() {
        return PortRange.parse(ports == null ? DEFAULT_PORTS : ports).orElseThrow();
    }

    Optional<String> addressIfSet() {
        return Optional.ofNullable(address);
    }

    ServerPreference serverPreference() {
        return ServerPreference.parse("server", server == null ? "auto" : server);
    }

    int capacityOrDefault() {
        return capacity == null ? DEFAULT_CAPACITY : capacity;
    }

    Duration readyTimeout() {
        return Duration.ofSeconds(readySeconds == null ? 30 : readySeconds);
    }

    Duration keepIdle() {
        return Duration.ofMinutes(keepIdleMinutes == null ? 10 : keepIdleMinutes);
    }
}
