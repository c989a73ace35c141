package dev.drydock.taskqueue.internal;

import java.io.IOException;
import java.net.InetAddress;

/** The host name a taskmaster registers under, for operators; {@code unknown} when it cannot be found. */
final class LocalHost {
    private LocalHost() {}

    static String name() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
