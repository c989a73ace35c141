package dev.drydock.testing;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Starts a class's {@code main} in a separate JVM with the test's own classpath, for tests whose
 * behaviour depends on a second process (a killed worker, wake-ups that cross the database).
 */
public final class JavaProcess {
    private JavaProcess() {}

    /** The running JVM's java launcher. */
    public static String javaExecutable() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** The classpath of the test JVM (Surefire's real one when running under Surefire). */
    public static String classpath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }

    /**
     * Starts {@code mainClass} with {@code args}; its output goes to {@code log} so a failing test can
     * show it.
     */
    public static Process start(Class<?> mainClass, Path log, List<String> args) {
        return start(mainClass, log, args, environment -> { });
    }

    /** As {@link #start(Class, Path, List)}, with {@code environment} changing what the process inherits. */
    public static Process start(Class<?> mainClass, Path log, List<String> args, Consumer<Map<String, String>> environment) {
        return start(mainClass, log, List.of(), args, environment);
    }

    /**
     * As {@link #start(Class, Path, List, Consumer)}, with {@code jvmOptions} (such as {@code -Dname=value})
     * before the class name.
     */
    public static Process start(Class<?> mainClass, Path log, List<String> jvmOptions, List<String> args,
            Consumer<Map<String, String>> environment) {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.add("-Xmx512m");
        command.addAll(jvmOptions);
        command.add("-Duser.timezone=" + System.getProperty("user.timezone", "UTC"));
        command.add("-cp");
        command.add(classpath());
        command.add(mainClass.getName());
        command.addAll(args);
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
            environment.accept(builder.environment());
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + mainClass.getName() + " in a new JVM", e);
        }
    }

}
