package dev.drydock.testing.ec2;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the account has besides instances: images, subnets (each in one zone) and key pairs, as the test
 * registered them. A launch that names anything else fails the way EC2 fails it.
 */
final class Catalog {
    private final Set<String> images = ConcurrentHashMap.newKeySet();
    private final Map<String, String> subnetZones = new ConcurrentHashMap<>();
    private final Map<String, String> keyPairs = new ConcurrentHashMap<>();
    private final String defaultZone;

    Catalog(String defaultZone) {
        this.defaultZone = defaultZone;
    }

    void image(String imageId) {
        images.add(imageId);
    }

    void subnet(String subnetId, String zone) {
        subnetZones.put(subnetId, zone);
    }

    void keyPair(String name, String publicKey) {
        keyPairs.put(name, publicKey);
    }

    /** Checks the launch's references and returns its zone: the subnet's, or the default VPC's. */
    String check(LaunchSpec spec) {
        if (!images.contains(spec.imageId())) {
            throw Ec2Error.client("InvalidAMIID.NotFound", "The image id '[" + spec.imageId() + "]' does not exist");
        }
        if (!spec.keyName().isEmpty() && !keyPairs.containsKey(spec.keyName())) {
            throw Ec2Error.client("InvalidKeyPair.NotFound", "The key pair '" + spec.keyName() + "' does not exist");
        }
        if (spec.subnetId().isEmpty()) {
            return defaultZone;
        }
        String zone = subnetZones.get(spec.subnetId());
        if (zone == null) {
            throw Ec2Error.client("InvalidSubnetID.NotFound", "The subnet ID '" + spec.subnetId() + "' does not exist");
        }
        return zone;
    }

    /** The authorized_keys text for an instance launched with {@code keyName}: empty lets nobody in. */
    String authorizedKeys(String keyName) {
        return Optional.ofNullable(keyPairs.get(keyName)).map(key -> key.strip() + "\n").orElse("");
    }
}
