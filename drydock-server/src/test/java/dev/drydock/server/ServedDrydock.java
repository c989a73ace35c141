package dev.drydock.server;

import dev.drydock.blueprint.localhost.LocalHostBlueprint;
import dev.drydock.core.Drydock;
import dev.drydock.core.EngineCleanUp;
import dev.drydock.core.TokenScope;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.TempFiles;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What the API tests run against: a Drydock with the local-host blueprint type, a taskmaster, the
 * server on a free port of 127.0.0.1, a client, a directory for hosts, and one token of each scope.
 * Closing it ends every lease and resource, stops them all and deletes the hosts' directory.
 */
final class ServedDrydock implements AutoCloseable {
    final TestDatabase db;
    final Drydock drydock;
    final Taskmaster taskmaster;
    final DrydockServer server;
    final ApiClient api;
    final Path root;
    final String reader;
    final String leaser;
    final String admin;

    ServedDrydock(TestDatabase db) {
        this.db = db;
        this.root = TempFiles.directory("drydock-api-hosts");
        this.drydock = Drydock.builder(db.dataSource()).register(new LocalHostBlueprint()).build();
        this.taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(200)).build().start();
        this.server = DrydockServer.builder(drydock).port(0).build().start();
        this.api = new ApiClient(server.uri());
        this.reader = drydock.apiTokens().create("reader", TokenScope.READ).secret();
        this.leaser = drydock.apiTokens().create("leaser", TokenScope.LEASE).secret();
        this.admin = drydock.apiTokens().create("admin", TokenScope.ADMIN).secret();
    }

    /** A local-host blueprint's configuration whose hosts are directories under {@link #root}. */
    String hostsConfig(String subdirectory, int capacity) {
        return "{\"root\": \"" + root.resolve(subdirectory) + "\", \"capacity\": " + capacity + "}";
    }

    @Override
    public void close() {
        try {
            server.close();
            EngineCleanUp.destroyEverything(drydock);
        } finally {
            taskmaster.close();
            drydock.close();
            TempFiles.deleteTree(root);
        }
    }
}
