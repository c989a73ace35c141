package dev.drydock.core.internal.store;

import java.security.SecureRandom;
import java.util.HexFormat;

/** A new lease's owner token: 192 random bits, which only the lease's holder is ever given. */
public final class OwnerToken {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OwnerToken() {}

    public static String random() {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }
}
