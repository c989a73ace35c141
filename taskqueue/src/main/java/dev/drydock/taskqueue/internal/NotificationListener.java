package dev.drydock.taskqueue.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds one connection in LISTEN and turns notifications into wake-ups. When the connection
 * breaks it rings the dispatcher (which then polls, covering anything missed) and reconnects with
 * backoff, so a lost notification costs at most one poll interval. The same long-lived session
 * carries the taskmaster's {@link Presence}, taken again first thing after every reconnect.
 */
public final class NotificationListener implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(NotificationListener.class);

    private final DataSource dataSource;
    private final Wakeup wakeup;
    private final Duration pollInterval;
    private final String name;
    private final Presence presence;
    private volatile boolean stopped;
    private volatile Connection connection;

    public NotificationListener(DataSource dataSource, Wakeup wakeup, Duration pollInterval, String name, Presence presence) {
        this.dataSource = dataSource;
        this.presence = presence;
        this.wakeup = wakeup;
        this.pollInterval = pollInterval;
        this.name = name;
    }

    @Override
    public void run() {
        Backoff backoff = new Backoff();
        while (!stopped) {
            try (Connection c = dataSource.getConnection()) {
                connection = c;
                c.setAutoCommit(true); // LISTEN takes effect on commit
                try {
                    presence.connected(c);
                    try (Statement statement = c.createStatement()) {
                        statement.execute("LISTEN " + QueueSql.CHANNEL);
                    }
                    if (backoff.failures() > 0) {
                        log.info("{}: listening for task notifications again", name);
                        wakeup.ring(); // anything enqueued while we were deaf is found by the next claim
                    }
                    backoff.reset();
                    PGConnection pg = c.unwrap(PGConnection.class);
                    // Short waits so that stop() is noticed even when closing a pooled connection does not
                    // interrupt the blocked read.
                    int timeout = (int) Math.min(250, Math.max(1, pollInterval.toMillis()));
                    while (!stopped) {
                        presence.tick(c);
                        PGNotification[] notifications = pg.getNotifications(timeout);
                        if (notifications != null) {
                            for (PGNotification notification : notifications) {
                                wakeup.dueAt(parseDue(notification.getParameter()));
                            }
                        }
                    }
                } finally {
                    presence.release(c); // a pooled connection must not keep it
                }
            } catch (SQLException | RuntimeException e) {
                if (stopped) {
                    return;
                }
                wakeup.ring();
                Duration wait = backoff.next();
                log.warn("{}: lost the notification connection, which also shows other taskmasters that this one lives ({}); "
                        + "polling meanwhile, reconnecting in {} ms; should the server have ended the session, its tasks may be "
                        + "re-run elsewhere", name, LogText.reason(e), wait.toMillis());
                sleep(wait);
            } finally {
                connection = null;
            }
        }
    }

    private static long parseDue(String payload) {
        try {
            return payload == null || payload.isEmpty() ? 0 : Long.parseLong(payload);
        } catch (NumberFormatException e) {
            return 0; // a notification we do not understand still means "look now"
        }
    }

    private void sleep(Duration wait) {
        try {
            Thread.sleep(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = true;
        }
    }

    public void stop() {
        stopped = true;
        Connection c = connection;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // Closing to unblock getNotifications; a failure here changes nothing.
            }
        }
    }
}
