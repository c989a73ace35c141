package dev.drydock.testing.ec2;

import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a RunInstances call asks for, apart from its ClientToken. Two calls with one token must ask
 * for equal specs or EC2 answers {@code IdempotentParameterMismatch}, so this is compared whole.
 * Absent optional parameters are empty strings, or 0 for the root volume size (the image's default).
 */
record LaunchSpec(String imageId, String instanceType, int minCount, int maxCount, String subnetId,
                  List<String> securityGroupIds, String keyName, String userData,
                  Map<String, String> instanceTags, Map<String, String> volumeTags, int rootVolumeGib, boolean spot) {
    private static final String DEFAULT_INSTANCE_TYPE = "m1.small";
    private static final Set<String> TAGGABLE = Set.of("instance", "volume", "network-interface", "spot-instances-request");

    LaunchSpec {
        securityGroupIds = List.copyOf(securityGroupIds);
        instanceTags = Collections.unmodifiableMap(new LinkedHashMap<>(instanceTags));
        volumeTags = Collections.unmodifiableMap(new LinkedHashMap<>(volumeTags));
    }

    static LaunchSpec parse(QueryParams params) {
        int minCount = params.requiredInt("MinCount");
        int maxCount = params.requiredInt("MaxCount");
        if (minCount < 1 || maxCount < minCount) {
            throw Ec2Error.client("InvalidParameterValue",
                    "MinCount must be at least 1 and MaxCount at least MinCount (were " + minCount + " and " + maxCount + ")");
        }
        String userData = params.optional("UserData").orElse("");
        try {
            Base64.getDecoder().decode(userData);
        } catch (IllegalArgumentException e) {
            throw Ec2Error.client("InvalidParameterValue", "Invalid BASE64 encoding of user data.");
        }
        Map<String, String> instanceTags = new LinkedHashMap<>();
        Map<String, String> volumeTags = new LinkedHashMap<>();
        for (QueryParams spec : params.structures("TagSpecification")) {
            String type = spec.required("ResourceType");
            if (!TAGGABLE.contains(type)) {
                throw Ec2Error.client("InvalidParameterValue", "'" + type + "' is not a valid taggable resource type for this operation.");
            }
            Map<String, String> tags = tags(spec);
            switch (type) {
                case "instance" -> instanceTags.putAll(tags);
                case "volume" -> volumeTags.putAll(tags);
                default -> { } // accepted and forgotten: the fake has no such resources
            }
        }
        return new LaunchSpec(
                params.required("ImageId"),
                params.optional("InstanceType").orElse(DEFAULT_INSTANCE_TYPE),
                minCount, maxCount,
                params.optional("SubnetId").orElse(""),
                params.list("SecurityGroupId"),
                params.optional("KeyName").orElse(""),
                userData, instanceTags, volumeTags,
                rootVolumeGib(params),
                "spot".equals(params.optional("InstanceMarketOptions.MarketType").orElse("")));
    }

    /** {@code Tag.N.Key} / {@code Tag.N.Value} pairs; a missing value is the empty string, as in EC2. */
    static Map<String, String> tags(QueryParams params) {
        Map<String, String> tags = new LinkedHashMap<>();
        for (QueryParams tag : params.structures("Tag")) {
            tags.put(tag.required("Key"), tag.optional("Value").orElse(""));
        }
        return tags;
    }

    // The fake's images have one volume, so the first mapping that sizes a volume sizes the root.
    private static int rootVolumeGib(QueryParams params) {
        for (QueryParams mapping : params.structures("BlockDeviceMapping")) {
            if (mapping.optional("Ebs.VolumeSize").isPresent()) {
                return mapping.requiredInt("Ebs.VolumeSize");
            }
        }
        return 0;
    }
}
