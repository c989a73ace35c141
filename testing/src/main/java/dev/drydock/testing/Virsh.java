package dev.drydock.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code virsh} against {@code qemu:///system}, so test fixtures see libvirt's own view
 * (domains counted by libvirt, leftovers found by name) independently of the code under test.
 */
public final class Virsh {
    private static final long TIMEOUT_SECONDS = 60;

    private Virsh() {}

    /** What a virsh command printed, with its exit code. */
    public record Result(int exitCode, String output) {
        public boolean succeeded() {
            return exitCode == 0;
        }
    }

    /** Runs {@code virsh -q -c qemu:///system ARGS}; a non-zero exit is returned, not thrown. */
    public static Result run(String... args) {
        List<String> argv = new ArrayList<>(List.of("virsh", "-q", "-c", LibvirtEnvironment.URI));
        argv.addAll(Arrays.asList(args));
        try {
            Process process = new ProcessBuilder(argv).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out after " + TIMEOUT_SECONDS + " s: " + argv);
            }
            return new Result(process.exitValue(), output.strip());
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + argv + " (is libvirt-clients installed?)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + argv, e);
        }
    }

    /** The first column of a listing such as {@code list --all --name}, restricted to names starting with {@code prefix}. */
    public static List<String> names(String prefix, String... listing) {
        Result result = run(listing);
        if (!result.succeeded()) {
            throw new IllegalStateException("virsh " + String.join(" ", listing) + " failed: " + result.output());
        }
        return firstColumn(result.output(), prefix);
    }

    /** The first word of each non-empty line of {@code output} that starts with {@code prefix}. */
    static List<String> firstColumn(String output, String prefix) {
        return output.lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty())
                .map(line -> line.split("\\s+")[0])
                .filter(name -> name.startsWith(prefix))
                .toList();
    }
}
