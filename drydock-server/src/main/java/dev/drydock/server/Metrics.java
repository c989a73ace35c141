package dev.drydock.server;

import dev.drydock.api.DrydockException;
import dev.drydock.core.Drydock;
import dev.drydock.core.WorkEvent;
import dev.drydock.taskqueue.TaskQueueException;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /metrics}: Prometheus text through Micrometer. What the database holds now is read lazily,
 * once per scrape ({@link StateSamples}); what this process's taskmasters do is counted as it happens
 * ({@link WorkMeters}). When the database cannot be read the scrape still answers, with
 * {@code drydock_up 0} and without the database's series (absent, not stale), so an alert on
 * {@code drydock_up == 0} fires rather than a scrape error. Scrapes run one at a time.
 */
final class Metrics implements AutoCloseable {
    /** Prometheus's text format 0.0.4, which every Prometheus reads (the writer's constant is in a runtime-only jar). */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final Logger log = LoggerFactory.getLogger(Metrics.class);
    private final Drydock drydock;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final SnapshotMeters state = new SnapshotMeters(registry);
    private final AtomicInteger up = new AtomicInteger(1);
    private final WorkEvent.Listening listening;
    private final ReentrantLock scraping = new ReentrantLock();

    Metrics(Drydock drydock) {
        this.drydock = drydock;
        Gauge.builder("drydock.up", up, AtomicInteger::get)
                .description("1 if this scrape read the database, 0 if it could not (the database's series are then absent)")
                .register(registry);
        this.listening = drydock.listen(new WorkMeters(registry));
    }

    /** Reads the database's state and answers every series as Prometheus text. */
    String scrape() {
        scraping.lock();
        try {
            List<SnapshotMeters.Sample> samples;
            try {
                samples = StateSamples.read(drydock);
                if (up.getAndSet(1) == 0) {
                    log.info("metrics: the database is read again; drydock_up is 1");
                }
            } catch (DrydockException | TaskQueueException e) {
                samples = List.of();
                if (up.getAndSet(0) == 1) {
                    log.warn("metrics: cannot read the database ({}); /metrics answers drydock_up 0 until it can", e.getMessage());
                }
            }
            state.show(samples);
            return registry.scrape(CONTENT_TYPE);
        } finally {
            scraping.unlock();
        }
    }

    /** Stops counting this process's work. */
    @Override
    public void close() {
        listening.close();
    }
}
