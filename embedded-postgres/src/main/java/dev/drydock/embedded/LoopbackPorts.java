package dev.drydock.embedded;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** TCP ports on 127.0.0.1, where every private server listens. */
public final class LoopbackPorts {
    private LoopbackPorts() {}

    /** A port free a moment ago; another process may take it before the server binds it. */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot find a free TCP port on 127.0.0.1: " + e.getMessage(), e);
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return socket.isBound();
        } catch (IOException e) {
            return false;
        }
    }
}
