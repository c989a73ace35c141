package dev.drydock.blueprint.ec2;

import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.spi.Progress;
import dev.drydock.api.spi.ResourceContext;
import dev.drydock.interfaces.ssh.HostKeyRejectedException;
import dev.drydock.interfaces.ssh.SshConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.services.ec2.model.GetConsoleOutputRequest;

/**
 * One check of a launched instance on its way to ready (DESIGN §10): listed and running, its SSH
 * port open, an SSH handshake with a host key from a trusted channel, then the readiness command.
 * Each check is short; anything not there yet is "check again", never a sleeping worker.
 */
final class Readiness {
    /** A pin that matches no key: the first handshake of a trust-on-first-use instance is refused with the key it offered. */
    private static final String NO_KEY_YET = "SHA256:" + "A".repeat(43);
    private final Ec2HostConfig config;
    private final ResourceContext resource;
    private final Ec2HostBlueprint blueprint;

    Readiness(Ec2HostConfig config, ResourceContext resource, Ec2HostBlueprint blueprint) {
        this.config = config;
        this.resource = resource;
        this.blueprint = blueprint;
    }

    Progress check(String id) {
        Optional<InstanceListing.Snapshot> listed = blueprint.listing(config, resource, config.listInterval());
        if (listed.isEmpty()) {
            return blueprint.budget(config, resource).checkAgain();
        }
        Optional<InstanceFacts> found = listed.get().instance(id);
        if (found.isEmpty()) {
            Instant launched = Optional.ofNullable(resource.resource().attributes().get(Ec2HostBlueprint.LAUNCHED_AT)).map(Instant::parse)
                    .orElse(Instant.EPOCH);
            return Duration.between(launched, Instant.now()).compareTo(Ec2HostBlueprint.NOT_VISIBLE_GRACE) < 0
                    ? Progress.checkAgainIn(blueprint.untilNextListing(config, resource), "instance " + id + " to be listed (EC2 is eventually consistent)")
                    : Progress.failed("instance " + id + " was launched but is not listed " + Ec2HostBlueprint.NOT_VISIBLE_GRACE.toMinutes()
                            + " minutes later: it was terminated outside Drydock, or its tags were removed");
        }
        InstanceFacts instance = found.get();
        if (instance.isPending()) {
            return Progress.checkAgainIn(blueprint.untilNextListing(config, resource), "instance " + id + " to boot (pending)");
        }
        if (!instance.isRunning()) {
            return Progress.failed("instance " + id + " is " + instance.state() + instance.stateReason().map(r -> " (" + r + ")").orElse("")
                    + " before it was ready");
        }
        Optional<String> address = instance.address(config.reachesPublicAddress());
        if (address.isEmpty()) {
            return Progress.failed("instance " + id + " has no " + (config.reachesPublicAddress()
                    ? "public address: use a subnet that assigns them, or set usePublicAddress to false" : "private address"));
        }
        record(instance, address.get());
        if (!HostAccess.portOpen(address.get(), config.sshPortOrDefault())) {
            return Progress.checkAgainIn(Duration.ofSeconds(2), "port " + config.sshPortOrDefault() + " on " + address.get() + " to accept connections");
        }
        String hostKey = resource.resource().attributes().get(Ec2HostBlueprint.HOST_KEY);
        if (hostKey == null) {
            Key learnt = config.trustsFirstUse() ? firstUse(address.get()) : fromConsole(id, address.get());
            if (learnt instanceof Key.NotYet notYet) {
                return notYet.progress();
            }
            hostKey = ((Key.Trusted) learnt).fingerprint();
            resource.setAttribute(Ec2HostBlueprint.HOST_KEY, hostKey);
        }
        return ready(id, address.get(), hostKey);
    }

    private void record(InstanceFacts instance, String address) {
        resource.setAttribute(Ec2HostBlueprint.ADDRESS, address);
        instance.privateAddress().ifPresent(a -> resource.setAttribute("private_ip", a));
        instance.publicAddress().ifPresent(a -> resource.setAttribute("public_ip", a));
        instance.zone().ifPresent(z -> resource.setAttribute("zone", z));
        instance.launchTime().ifPresent(t -> resource.setAttribute("launch_time", t.toString()));
        resource.setAttribute("instance_type", instance.type());
    }

    /** The host key to pin, or what to wait for before it is known. */
    private sealed interface Key {
        record Trusted(String fingerprint) implements Key {}

        record NotYet(Progress progress) implements Key {}
    }

    /**
     * The key among those the console output printed that the instance offers: the instance's
     * console is written by the hypervisor, not reachable from the network, so these are trusted
     * before first contact.
     */
    private Key fromConsole(String id, String address) {
        CallBudget budget = blueprint.budget(config, resource);
        if (!budget.take()) {
            return new Key.NotYet(budget.checkAgain());
        }
        String console;
        try {
            String output = blueprint.ec2(config, resource).getConsoleOutput(GetConsoleOutputRequest.builder().instanceId(id).build()).output();
            console = output == null ? "" : new String(Base64.getMimeDecoder().decode(output), StandardCharsets.UTF_8);
        } catch (AwsServiceException e) {
            if (Ec2Errors.classify(e) instanceof Ec2Errors.Throttled) {
                return new Key.NotYet(Progress.checkAgainIn(Duration.ofSeconds(5), "EC2 throttling the blueprint's calls; backing off"));
            }
            throw e;
        }
        List<String> printed = ConsoleHostKeys.fingerprints(console);
        if (printed.isEmpty()) {
            return new Key.NotYet(Progress.checkAgainIn(Duration.ofSeconds(3), "instance " + id + "'s console output to print its SSH host key"
                    + " fingerprints (cloud-init does; an image without it needs hostKeyTrust first-use)"));
        }
        try {
            connect(address, printed.getFirst());
            return new Key.Trusted(printed.getFirst());
        } catch (HostKeyRejectedException e) {
            if (printed.contains(e.offeredFingerprint())) {
                return new Key.Trusted(e.offeredFingerprint()); // another of its printed keys: the one its sshd chose to offer
            }
            return new Key.NotYet(Progress.failed("instance " + id + " at " + address + " offered SSH host key " + e.offeredFingerprint()
                    + ", which its console output does not list (it lists " + String.join(", ", printed) + "): refusing to connect;"
                    + " something other than the instance answers at its address"));
        }
    }

    /** Trust on first use, as configured: the key the instance offers now, recorded on the resource for every later connection. */
    private Key firstUse(String address) {
        try {
            connect(address, NO_KEY_YET);
            throw new IllegalStateException("an SSH server accepted a pinned key that matches no key");
        } catch (HostKeyRejectedException e) {
            resource.setAttribute("host_key_trust", "first-use");
            resource.log("trusted host key " + e.offeredFingerprint() + " on first use (hostKeyTrust first-use)");
            return new Key.Trusted(e.offeredFingerprint());
        }
    }

    private void connect(String address, String fingerprint) {
        blueprint.hosts().evict(resource);
        blueprint.hosts().connection(config, resource, address, fingerprint).get();
    }

    private Progress ready(String id, String address, String hostKey) {
        Supplier<SshConnection> connection = blueprint.hosts().connection(config, resource, address, hostKey);
        try {
            var commands = blueprint.hosts().commands(connection, HostAccess.HOST_WORKDIR);
            List<String> readiness = config.readinessOrDefault();
            if (!readiness.isEmpty()) {
                CommandResult result = HostAccess.run(commands, readiness);
                if (result.timedOut()) {
                    return Progress.checkAgainIn(Duration.ofSeconds(2), "the readiness command " + readiness + " on instance " + id);
                }
                if (!result.succeeded()) {
                    return Progress.failed("the readiness command " + readiness + " exited " + result.exitCode() + " on instance " + id + ": "
                            + result.stderrText().strip());
                }
            }
            String resourceDir = Ec2HostBlueprint.resourceDir(config, resource.resource().id());
            CommandResult made = HostAccess.run(commands, List.of("mkdir", "-p", "-m", "700", "--", resourceDir));
            if (!made.succeeded()) {
                return Progress.failed("could not create " + resourceDir + " on instance " + id + ": "
                        + made.stderrText().strip());
            }
            resource.log("instance " + id + " at " + address + " is ready (host key " + hostKey + ")");
            return Progress.done();
        } catch (HostKeyRejectedException e) {
            blueprint.hosts().evict(resource);
            return Progress.failed("instance " + id + " at " + address + " now offers SSH host key " + e.offeredFingerprint() + ", not "
                    + hostKey + ": refusing to connect");
        } catch (DrydockException e) {
            blueprint.hosts().evict(resource);
            return Progress.checkAgainIn(Duration.ofSeconds(2), "SSH on instance " + id + " at " + address + ": " + e.getMessage());
        }
    }
}
