package dev.drydock.interfaces.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feeds a process's standard input on a thread of its own: first the command's own bytes, then a
 * caller's stream as it arrives, each chunk flushed at once (so an interactive program sees a line
 * when it is typed), then closes the process's input (end-of-file). On its own thread because a
 * process that writes before it reads would otherwise deadlock with a caller blocked writing. The
 * caller's stream is never closed; a process that exits without reading everything is normal.
 * Internal to the interfaces module: not an API.
 */
public final class InputFeed {
    private static final Logger log = LoggerFactory.getLogger(InputFeed.class);

    private InputFeed() {}

    /** Starts feeding {@code bytes} then {@code more} into {@code stdin}, closing it at the end. */
    public static void start(String name, OutputStream stdin, byte[] bytes, InputStream more) {
        Thread.ofVirtual().name(name).start(() -> {
            try (stdin) {
                if (bytes.length > 0) {
                    stdin.write(bytes);
                    stdin.flush();
                }
                byte[] buffer = new byte[8192];
                for (int n; (n = more.read(buffer)) >= 0; ) {
                    stdin.write(buffer, 0, n);
                    stdin.flush();
                }
            } catch (IOException e) {
                // Normal for a process that exits without reading all its input.
                log.debug("{}: the process did not take all of its stdin: {}", name, e.toString());
            }
        });
    }
}
