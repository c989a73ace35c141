package dev.drydock.blueprint.ec2;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Configuration of an {@code ec2-host} blueprint, read from JSON. Secrets appear only as
 * references ({@code env:NAME}, {@code file:PATH}, or a scheme the application registered).
 *
 * @param region             the EC2 region, e.g. {@code eu-west-1} (required)
 * @param endpoint           another EC2-compatible endpoint, {@code http(s)://host[:port]} (default: the region's)
 * @param accessKeyId        a reference to the access key id; with {@code secretAccessKey}, or neither for the
 *                           SDK's default credential chain (instance profile, environment, profile file)
 * @param secretAccessKey    a reference to the secret access key
 * @param imageId            the AMI every instance boots (required)
 * @param instanceTypes      instance types in preference order; the next is tried when EC2 has no capacity (required)
 * @param subnets            subnets in preference order, one per zone; the next is tried when a zone has no capacity (required)
 * @param securityGroups     security group ids (default: the subnet's VPC default group)
 * @param keyName            the EC2 key pair the instances authorize (required)
 * @param privateKey         a reference to that key pair's SSH private key (required)
 * @param sshUser            the login user (default {@code ec2-user})
 * @param sshPort            the SSH port (default 22)
 * @param usePublicAddress   reach instances on their public address (default false: the private one)
 * @param tags               extra tags on every instance and volume (ours are always added)
 * @param userData           user data, as text (the blueprint base64-encodes it)
 * @param rootVolumeGb       root volume size in GiB (default: the AMI's)
 * @param spot               ask for spot instances (default false)
 * @param onDemandFallback   with {@code spot}, fall back to on-demand when spot has no capacity (default true)
 * @param capacity           leases one instance holds at once (default 1)
 * @param keepIdleMinutes    how long an idle instance is kept for the next lease; 0 destroys it at once (default 0)
 * @param readinessCommand   run over SSH before an instance counts as ready (default: {@code cloud-init status --wait}
 *                           when the image has cloud-init); an empty list for none
 * @param hostKeyTrust       {@code console} (default): trust only the host key the instance's console output prints;
 *                           {@code first-use}: trust the key the instance first offers, recorded on the resource
 * @param listSeconds        how often the blueprint lists its instances, one listing serving every resource (default 5)
 * @param callsPerSecond     the most EC2 API calls per second this blueprint makes from one process (default 5)
 * @param bootMinutes        how long an instance may take to become ready (default 15)
 * @param healthCheckSeconds how often an active instance is checked against the listing (default 30)
 * @param reapMinutes        how often the reaper looks for instances without a live resource (default 5)
 * @param quotaPauseSeconds  how long the blueprint stops building after EC2 said its quota is reached (default 60)
 * @param attributes         facts every instance of the blueprint has, which a lease may require (default none)
 * @param root               the directory on every instance under which leases get directories (default {@code /tmp/drydock})
 */
public record Ec2HostConfig(String region, String endpoint, String accessKeyId, String secretAccessKey, String imageId,
                            List<String> instanceTypes, List<String> subnets, List<String> securityGroups, String keyName,
                            String privateKey, String sshUser, Integer sshPort, Boolean usePublicAddress, Map<String, String> tags,
                            String userData, Integer rootVolumeGb, Boolean spot, Boolean onDemandFallback, Integer capacity,
                            Integer keepIdleMinutes, List<String> readinessCommand, String hostKeyTrust, Double listSeconds,
                            Double callsPerSecond, Integer bootMinutes, Integer healthCheckSeconds, Double reapMinutes,
                            Integer quotaPauseSeconds, Map<String, String> attributes, String root) {
    static final String TRUST_CONSOLE = "console";
    static final String TRUST_FIRST_USE = "first-use";
    /** Runs cloud-init's wait when the image has it, and succeeds at once when it does not. */
    static final List<String> DEFAULT_READINESS =
            List.of("sh", "-c", "if command -v cloud-init >/dev/null 2>&1; then cloud-init status --wait >/dev/null; fi");

    List<String> securityGroupsOrNone() {
        return securityGroups == null ? List.of() : securityGroups;
    }

    String sshUserOrDefault() {
        return sshUser == null ? "ec2-user" : sshUser;
    }

    int sshPortOrDefault() {
        return sshPort == null ? 22 : sshPort;
    }

    boolean reachesPublicAddress() {
        return usePublicAddress != null && usePublicAddress;
    }

    Map<String, String> tagsOrNone() {
        return tags == null ? Map.of() : tags;
    }

    boolean isSpot() {
        return spot != null && spot;
    }

    boolean fallsBackToOnDemand() {
        return onDemandFallback == null || onDemandFallback;
    }

    int capacityOrDefault() {
        return capacity == null ? 1 : capacity;
    }

    Duration keepIdle() {
        return Duration.ofMinutes(keepIdleMinutes == null ? 0 : keepIdleMinutes);
    }

    List<String> readinessOrDefault() {
        return readinessCommand == null ? DEFAULT_READINESS : readinessCommand;
    }

    boolean trustsFirstUse() {
        return TRUST_FIRST_USE.equals(hostKeyTrust);
    }

    Duration listInterval() {
        return Duration.ofMillis(Math.round((listSeconds == null ? 5 : listSeconds) * 1000));
    }

    double callsPerSecondOrDefault() {
        return callsPerSecond == null ? 5 : callsPerSecond;
    }

    Duration bootTimeout() {
        return Duration.ofMinutes(bootMinutes == null ? 15 : bootMinutes);
    }

    Duration healthCheckInterval() {
        return Duration.ofSeconds(healthCheckSeconds == null ? 30 : healthCheckSeconds);
    }

    Duration reapInterval() {
        return Duration.ofMillis(Math.round((reapMinutes == null ? 5 : reapMinutes) * 60_000));
    }

    Duration quotaPause() {
        return Duration.ofSeconds(quotaPauseSeconds == null ? 60 : quotaPauseSeconds);
    }

    Map<String, String> attributesOrNone() {
        return attributes == null ? Map.of() : attributes;
    }

    String rootOrDefault() {
        return root == null ? "/tmp/drydock" : root;
    }
}
