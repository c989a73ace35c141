package dev.drydock.testing.ec2;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An instance as the fake knows it at one moment, for tests to assert on. Absent optional launch
 * parameters are empty strings ({@code keyName}, {@code subnetId}, {@code clientToken}, {@code userData}),
 * {@code stateReason} is empty while there is none, and {@code rootVolumeGib} is 0 when the launch kept
 * the image's default. {@code privateIpAddress} is the loopback address the instance's sshd listens on.
 */
public record InstanceSnapshot(String instanceId, String reservationId, InstanceState state, String stateReason,
                               String privateIpAddress, String availabilityZone, String subnetId, String imageId,
                               String instanceType, String keyName, String clientToken, Instant launchTime,
                               Map<String, String> tags, Map<String, String> volumeTags, List<String> securityGroupIds,
                               String userData, boolean spot, int rootVolumeGib) {
    public InstanceSnapshot {
        tags = Collections.unmodifiableMap(new LinkedHashMap<>(tags));
        volumeTags = Collections.unmodifiableMap(new LinkedHashMap<>(volumeTags));
        securityGroupIds = List.copyOf(securityGroupIds);
    }
}
