package dev.drydock.testing.ec2;

/**
 * An EC2 error response: its code, message and HTTP status. The SDK reads the code from the body,
 * but the status decides whether it retries (5xx and throttling codes), so both must be right.
 */
final class Ec2Error extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String code;
    private final int status;

    private Ec2Error(String code, String message, int status) {
        super(message, null, false, false);
        this.code = code;
        this.status = status;
    }

    static Ec2Error client(String code, String message) {
        return new Ec2Error(code, message, 400);
    }

    static Ec2Error throttled() {
        return new Ec2Error("RequestLimitExceeded", "Request limit exceeded.", 503);
    }

    static Ec2Error insufficientCapacity(String instanceType, String zone) {
        return new Ec2Error("InsufficientInstanceCapacity", "We currently do not have sufficient " + instanceType
                + " capacity in the Availability Zone you requested (" + zone + "). Our system will be working on"
                + " provisioning additional capacity.", 500);
    }

    static Ec2Error noSpotCapacity() {
        return new Ec2Error("InsufficientInstanceCapacity", "There is no Spot capacity available that matches your request.", 500);
    }

    static Ec2Error dryRun() {
        return new Ec2Error("DryRunOperation", "Request would have succeeded, but DryRun flag is set.", 412);
    }

    static Ec2Error internal(String message) {
        return new Ec2Error("InternalError", message, 500);
    }

    static Ec2Error instanceNotFound(String instanceIds) {
        return client("InvalidInstanceID.NotFound", instanceIds.contains(",")
                ? "The instance IDs '" + instanceIds + "' do not exist"
                : "The instance ID '" + instanceIds + "' does not exist");
    }

    String code() {
        return code;
    }

    int status() {
        return status;
    }
}
