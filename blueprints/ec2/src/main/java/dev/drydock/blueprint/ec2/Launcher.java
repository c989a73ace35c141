package dev.drydock.blueprint.ec2;

import dev.drydock.api.spi.ObjectTags;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceMarketOptionsRequest;
import software.amazon.awssdk.services.ec2.model.MarketType;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

/**
 * One RunInstances for one resource's attempt. Its ClientToken is derived from the installation,
 * the resource and the attempt, so a step repeated after a crash (same attempt, same placement)
 * gets back the instance it already started instead of a second one; the next placement is a new
 * attempt with a token of its own. The instance and its volumes carry our tags from the call that
 * makes them, so nothing exists untagged even for a moment.
 */
final class Launcher {
    private static final String ROOT_DEVICE = "/dev/xvda";

    private Launcher() {}

    static String clientToken(ObjectTags owner, int attempt) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((owner.installationId() + "/" + owner.resourceId() + "/" + attempt)
                    .getBytes(StandardCharsets.UTF_8));
            return "drydock-" + HexFormat.of().formatHex(digest, 0, 24); // EC2 allows 64 characters
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
    }

    static Instance launch(Ec2Client ec2, Ec2HostConfig config, ObjectTags owner, String blueprintName, int attempt, Placement placement) {
        List<Tag> tags = tags(config, owner, blueprintName);
        RunInstancesRequest.Builder request = RunInstancesRequest.builder()
                .imageId(config.imageId())
                .instanceType(placement.instanceType())
                .subnetId(placement.subnet())
                .keyName(config.keyName())
                .minCount(1).maxCount(1)
                .clientToken(clientToken(owner, attempt))
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.INSTANCE).tags(tags).build(),
                        TagSpecification.builder().resourceType(ResourceType.VOLUME).tags(tags).build());
        if (!config.securityGroupsOrNone().isEmpty()) {
            request.securityGroupIds(config.securityGroupsOrNone());
        }
        if (config.userData() != null) {
            request.userData(Base64.getEncoder().encodeToString(config.userData().getBytes(StandardCharsets.UTF_8)));
        }
        if (config.rootVolumeGb() != null) {
            request.blockDeviceMappings(BlockDeviceMapping.builder().deviceName(ROOT_DEVICE)
                    .ebs(EbsBlockDevice.builder().volumeSize(config.rootVolumeGb()).deleteOnTermination(true).build()).build());
        }
        if (placement.spot()) {
            request.instanceMarketOptions(InstanceMarketOptionsRequest.builder().marketType(MarketType.SPOT).build());
        }
        return ec2.runInstances(request.build()).instances().getFirst();
    }

    private static List<Tag> tags(Ec2HostConfig config, ObjectTags owner, String blueprintName) {
        Map<String, String> all = new LinkedHashMap<>(config.tagsOrNone());
        all.put("Name", "drydock " + blueprintName + " resource " + owner.resourceId());
        all.putAll(owner.asMap());
        List<Tag> tags = new ArrayList<>();
        all.forEach((k, v) -> tags.add(Tag.builder().key(k).value(v).build()));
        return tags;
    }
}
