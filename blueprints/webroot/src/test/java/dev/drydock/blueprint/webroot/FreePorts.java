package dev.drydock.blueprint.webroot;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** A range of consecutive ports nothing listens on now, for a web root's {@code ports}. */
final class FreePorts {
    private FreePorts() {}

    /** {@code FIRST-LAST} of {@code count} ports free on {@code address} when asked. */
    static String range(String address, int count) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int first = 20_000 + ThreadLocalRandom.current().nextInt(30_000);
            if (allFree(address, first, count)) {
                return first + "-" + (first + count - 1);
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports found on " + address);
    }

    private static boolean allFree(String address, int first, int count) {
        for (int port = first; port < first + count; port++) {
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(address))) {
                socket.setReuseAddress(true);
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
