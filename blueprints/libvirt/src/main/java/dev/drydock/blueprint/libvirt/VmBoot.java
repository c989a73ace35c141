package dev.drydock.blueprint.libvirt;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.interfaces.ssh.HostKeyRejectedException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.libvirt.LibvirtException;

/**
 * Waiting for a started VM to become a host: its address (the network's DHCP lease for its MAC, or
 * the forwarded port on 127.0.0.1), then SSH with the pinned host key and the readiness command.
 * A guest that offers another host key fails the build at once; one that is not up within the boot
 * timeout fails it saying what it was waiting for.
 */
final class VmBoot {
    private static final Duration RECHECK = Duration.ofMillis(500);
    private final LibvirtConfig config;
    private final ResourceContext resource;
    private final Hypervisors hypervisors;
    private final GuestAccess guests;
    private final String uri;

    VmBoot(LibvirtConfig config, ResourceContext resource, Hypervisors hypervisors, GuestAccess guests, String uri) {
        this.config = config;
        this.resource = resource;
        this.hypervisors = hypervisors;
        this.guests = guests;
        this.uri = uri;
    }

    Progress check() throws LibvirtException {
        Map<String, String> attributes = resource.resource().attributes();
        String domain = attributes.get(LibvirtHostBlueprint.DOMAIN);
        Optional<Boolean> running = hypervisors.with(uri, h -> h.isRunning(domain));
        if (running.isEmpty() || !running.get()) {
            return Progress.failed("domain " + domain + " on " + uri + (running.isEmpty() ? " was undefined" : " shut off")
                    + " while it booted; see its console log on the hypervisor");
        }
        Optional<String> address = address(domain, attributes.get(LibvirtHostBlueprint.MAC));
        if (address.isEmpty()) {
            return waitOr("an address for domain " + domain + " from network " + config.network().name() + "'s DHCP");
        }
        resource.setAttribute(LibvirtHostBlueprint.ADDRESS, address.get());
        try {
            CommandInterface commands = guests.commands(guests.connection(config, resource, address.get(),
                    attributes.get(LibvirtHostBlueprint.HOST_KEY)), GuestAccess.HOST_WORKDIR);
            List<String> readiness = config.readinessOrNone().isEmpty() ? List.of("true") : config.readinessOrNone();
            CommandResult ready = GuestAccess.run(commands, readiness);
            if (!ready.succeeded()) {
                return waitOr("the readiness command " + readiness + " to succeed on " + domain + " (it exited " + ready.exitCode() + ": "
                        + ready.stderrText().strip() + ")");
            }
        } catch (HostKeyRejectedException e) {
            guests.evict(resource.resource().id());
            return Progress.failed("domain " + domain + " at " + address.get() + " offered a host key other than the one Drydock put in its"
                    + " seed (" + e.getMessage() + "); its image does not read the NoCloud seed's ssh_keys, or something else answers there");
        } catch (DrydockException e) {
            guests.evict(resource.resource().id());
            return waitOr("SSH on " + domain + " at " + address.get() + " (" + e.getMessage() + ")");
        }
        resource.log("domain " + domain + " answers SSH at " + address.get() + " with the host key Drydock gave it");
        return Progress.done();
    }

    private Optional<String> address(String domain, String mac) throws LibvirtException {
        if (config.network().isUserMode()) {
            return Optional.of("127.0.0.1:" + resource.resource().attributes().get(BlueprintImplementation.SLOT));
        }
        return hypervisors.with(uri, h -> h.address(domain, mac, false).or(() -> agentAddress(h, domain, mac))).map(ip -> ip + ":22");
    }

    /** The guest agent's answer, for networks whose DHCP is not libvirt's (a bridge to the LAN's DHCP). */
    private static Optional<String> agentAddress(Hypervisor h, String domain, String mac) {
        try {
            return h.address(domain, mac, true);
        } catch (LibvirtException e) {
            return Optional.empty(); // the lease source's answer stands; the next check asks both again
        }
    }

    private Progress waitOr(String waitingFor) {
        String definedAt = resource.resource().attributes().get(LibvirtHostBlueprint.DEFINED_AT);
        if (definedAt != null && Instant.parse(definedAt).plus(config.bootTimeout()).isBefore(Instant.now())) {
            return Progress.failed("domain " + resource.resource().attributes().get(LibvirtHostBlueprint.DOMAIN) + " was not ready within "
                    + config.bootTimeout().toSeconds() + " s of its start: still waiting for " + waitingFor);
        }
        return Progress.checkAgainIn(RECHECK, waitingFor);
    }
}
