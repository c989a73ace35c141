package dev.drydock.blueprint.ec2;

import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * What an EC2 error means for a build (DESIGN §10): every class is answered differently, and only
 * the unexpected ones are failures the engine retries.
 */
sealed interface Ec2Errors {
    /** Too many calls: back off; never a failure. */
    record Throttled(String code) implements Ec2Errors {}

    /** No capacity for this zone and type now: try the next, and decline for a while when none has any. */
    record NoCapacity(String code, String message) implements Ec2Errors {}

    /** The account's quota is reached: pause the blueprint until instances free up. */
    record Quota(String code, String message) implements Ec2Errors {}

    /** A configuration EC2 refuses (an image, subnet, key pair, group that does not exist): break and decline until it changes. */
    record InvalidConfig(String field, String code, String message) implements Ec2Errors {}

    /** The instance is not known (yet, right after launch; or any more). */
    record NotFound(String code) implements Ec2Errors {}

    /** Anything else: the step fails and the engine tries again on its backoff. */
    record Other(String code, String message) implements Ec2Errors {}

    Set<String> THROTTLING = Set.of("RequestLimitExceeded", "Throttling", "ThrottlingException", "RequestThrottled");
    Set<String> CAPACITY = Set.of("InsufficientInstanceCapacity", "InsufficientHostCapacity", "InsufficientCapacity",
            "Unsupported", "InsufficientFreeAddressesInSubnet", "SpotMaxPriceTooLow", "MaxSpotInstanceCountExceeded",
            "UnfulfillableCapacity", "InsufficientReservedInstanceCapacity");
    Set<String> QUOTA = Set.of("InstanceLimitExceeded", "VcpuLimitExceeded", "ResourceLimitExceeded");

    static Ec2Errors classify(AwsServiceException e) {
        String code = Optional.ofNullable(e.awsErrorDetails()).map(d -> d.errorCode()).orElse("Unknown");
        String message = Optional.ofNullable(e.awsErrorDetails()).map(d -> d.errorMessage()).orElse(e.getMessage());
        if (THROTTLING.contains(code)) {
            return new Throttled(code);
        }
        if (CAPACITY.contains(code)) {
            return new NoCapacity(code, message);
        }
        if (QUOTA.contains(code)) {
            return new Quota(code, message);
        }
        if (code.startsWith("InvalidInstanceID")) {
            return new NotFound(code);
        }
        return invalidField(code).<Ec2Errors>map(field -> new InvalidConfig(field, code, message)).orElseGet(() -> new Other(code, message));
    }

    /** The configuration field an EC2 error code blames, if it blames one. */
    private static Optional<String> invalidField(String code) {
        if (code.startsWith("InvalidAMIID")) {
            return Optional.of("imageId");
        }
        if (code.startsWith("InvalidSubnetID") || code.startsWith("InvalidSubnet")) {
            return Optional.of("subnets");
        }
        if (code.startsWith("InvalidKeyPair")) {
            return Optional.of("keyName");
        }
        if (code.startsWith("InvalidGroup") || code.startsWith("InvalidSecurityGroupID")) {
            return Optional.of("securityGroups");
        }
        if (code.equals("InvalidInstanceType")) {
            return Optional.of("instanceTypes");
        }
        if (code.equals("UnauthorizedOperation") || code.equals("AuthFailure") || code.equals("InvalidClientTokenId")
                || code.equals("SignatureDoesNotMatch") || code.equals("OptInRequired")) {
            return Optional.of("accessKeyId");
        }
        return Optional.empty();
    }
}
