package dev.drydock.taskqueue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;

/**
 * A taskmaster in its own JVM for tests that need a second process: runs {@link RecordingHandler}
 * tasks until killed or until its standard input closes. Prints {@code READY} once started.
 * Arguments: jdbcUrl user password name threads leaseMillis [no-prefetch] (to claim no more than its free threads).
 */
public final class WorkerMain {
    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        String url = args[0];
        String user = args[1];
        String password = args.length > 2 && !args[2].equals("-") ? args[2] : "";
        String name = args[3];
        int threads = Integer.parseInt(args[4]);
        long leaseMs = Long.parseLong(args[5]);
        boolean prefetch = !(args.length > 6 && args[6].equals("no-prefetch"));
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setMaximumPoolSize(4);
        try (HikariDataSource pool = new HikariDataSource(config);
             RecordingHandler recorder = new RecordingHandler(url, user, password, name);
             Taskmaster taskmaster = Taskmaster.builder(pool).name(name).threads(threads)
                     .leaseDuration(Duration.ofMillis(leaseMs)).prefetch(prefetch).handler(RecordingHandler.KIND, recorder).build()) {
            taskmaster.start();
            System.out.println("READY " + taskmaster.id());
            System.out.flush();
            while (System.in.read() != -1) {
                // Runs until the parent closes our stdin (or kills us).
            }
        }
    }
}
