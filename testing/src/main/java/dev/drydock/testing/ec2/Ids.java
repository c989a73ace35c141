package dev.drydock.testing.ec2;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/** Resource ids in EC2's long form: a prefix and 17 hex digits ({@code i-0123456789abcdef0}). */
final class Ids {
    private static final Pattern INSTANCE_ID = Pattern.compile("i-[0-9a-f]{8}([0-9a-f]{9})?");

    private Ids() {}

    static String instance() {
        return "i-" + hex(17);
    }

    static String reservation() {
        return "r-" + hex(17);
    }

    static String volume() {
        return "vol-" + hex(17);
    }

    static String spotRequest() {
        return "sir-" + hex(8);
    }

    static String request() {
        return java.util.UUID.randomUUID().toString();
    }

    /** Ids that cannot be instance ids are {@code InvalidInstanceID.Malformed}, not NotFound, in EC2. */
    static void requireInstanceId(String id) {
        if (!INSTANCE_ID.matcher(id).matches()) {
            throw Ec2Error.client("InvalidInstanceID.Malformed", "Invalid id: \"" + id + "\"");
        }
    }

    private static String hex(int digits) {
        byte[] bytes = new byte[(digits + 1) / 2];
        ThreadLocalRandom.current().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes).substring(0, digits);
    }
}
