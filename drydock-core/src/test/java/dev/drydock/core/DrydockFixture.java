package dev.drydock.core;

import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.TempFiles;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** A Drydock with the local-host blueprint on a test database, and an in-process taskmaster; closing it ends and removes what it made. */
final class DrydockFixture implements AutoCloseable {
    final TestDatabase db;
    final Drydock drydock;
    final Taskmaster taskmaster;
    final Path root;

    DrydockFixture(TestDatabase db) throws Exception {
        this.db = db;
        this.root = Files.createTempDirectory("drydock-hosts");
        this.drydock = Drydock.builder(db.dataSource()).register(new LocalHostBlueprint()).build();
        this.taskmaster = drydock.taskmaster().threads(16).pollInterval(Duration.ofMillis(200)).build().start();
    }

    String config(int capacity) {
        return "{\"root\": \"" + root + "\", \"capacity\": " + capacity + "}";
    }

    long count(String sql) {
        return db.queryLong(sql);
    }

    /** Ends every lease and resource the tests left (see {@link EngineCleanUp}), stops, and removes the hosts' directory. */
    @Override
    public void close() {
        try {
            EngineCleanUp.destroyEverything(drydock);
        } finally {
            taskmaster.close();
            drydock.close();
            TempFiles.deleteTree(root);
        }
    }
}
