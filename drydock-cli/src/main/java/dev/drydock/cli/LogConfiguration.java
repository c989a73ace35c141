package dev.drydock.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Optional;

/**
 * The programs' logging, set up in code (found by logback through ServiceLoader) instead of from a
 * {@code logback.xml}: parsing XML took a tenth of every CLI command's time. Operators log on stderr,
 * so command output on stdout stays clean for scripts and JSON; {@code dev.drydock} at
 * {@code $DRYDOCK_LOG_LEVEL} (default WARN), the taskmaster's own lines at INFO unless that is set,
 * everything else at WARN, but the libraries' reports of database faults Drydock reports itself in one
 * line are silenced unless {@code DRYDOCK_LOG_LEVEL} is DEBUG or TRACE. A {@code logback-test.xml} on the classpath or
 * {@code -Dlogback.configurationFile} still wins (this one steps aside); {@code -Ddrydock.logging=shipped}
 * keeps this one even beside a {@code logback-test.xml}, for tests of what users see.
 */
public final class LogConfiguration extends ContextAwareBase implements Configurator {
    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null || !"shipped".equals(System.getProperty("drydock.logging"))
                && LogConfiguration.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{20} %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> err = new ConsoleAppender<>();
        err.setContext(context);
        err.setName("err");
        err.setTarget("System.err");
        err.setEncoder(encoder);
        err.start();
        Optional<Level> configured = Optional.ofNullable(System.getenv("DRYDOCK_LOG_LEVEL")).filter(s -> !s.isBlank())
                .map(s -> Level.toLevel(s.trim(), Level.WARN));
        context.getLogger("dev.drydock").setLevel(configured.orElse(Level.WARN));
        context.getLogger("dev.drydock.taskqueue.Taskmaster").setLevel(configured.orElse(Level.INFO));
        if (configured.isEmpty() || configured.get().isGreaterOrEqual(Level.INFO)) {
            quietLibraryFaultReports(context);
        }
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(err);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /**
     * Silences the libraries' own reports of faults that Drydock reports itself in one line (the
     * dispatcher's "database unavailable", the start-up's "retrying in"): HikariCP's stack trace for
     * every broken pooled connection and its "failed to validate" for every closed idle one, and
     * Flyway's stack traces of a migration cut short, which Drydock retries or reports as it fails.
     * HikariCP's other warnings (a clock leap, a leaked connection) stay.
     */
    private static void quietLibraryFaultReports(LoggerContext context) {
        context.getLogger("com.zaxxer.hikari.pool.ProxyConnection").setLevel(Level.ERROR);
        context.getLogger("com.zaxxer.hikari.pool.PoolBase").setLevel(Level.ERROR);
        context.getLogger("org.flywaydb").setLevel(Level.OFF);
    }
}
