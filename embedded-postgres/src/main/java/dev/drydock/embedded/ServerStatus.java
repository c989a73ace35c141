package dev.drydock.embedded;

import java.nio.file.Path;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * What a data directory's {@code postmaster.pid} says, checked against the live process table: a pid
 * file left by a crashed server does not count as running.
 *
 * @param running whether a postmaster for {@code dataDirectory} is alive
 * @param pid the postmaster's pid, when running
 * @param port the TCP port it listens on (127.0.0.1), when running
 */
public record ServerStatus(Path dataDirectory, boolean running, OptionalLong pid, OptionalInt port) {
    static ServerStatus stopped(Path dataDirectory) {
        return new ServerStatus(dataDirectory, false, OptionalLong.empty(), OptionalInt.empty());
    }
}
