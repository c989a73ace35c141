package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.CommandInterface;
import dev.drydock.api.InterfaceNotSupportedException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.ResourceStatus;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every step of a resource uses the configuration it was built with (architecture decision 42):
 * editing a blueprint (a new region) changes what new resources get, never what existing ones are
 * asked to do, so nothing built in the old region is looked for, or destroyed, in the new one.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ConfigSnapshotTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private final RegionalBlueprint regional = new RegionalBlueprint();
    private TestDatabase db;
    private Drydock drydock;
    private Taskmaster taskmaster;

    @BeforeEach
    void start(TestDatabase db) {
        this.db = db;
        drydock = Drydock.builder(db.dataSource()).register(regional).stepRetryCap(Duration.ofMillis(300)).build();
        taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(100)).build().start();
    }

    @AfterEach
    void stop() {
        try {
            EngineCleanUp.destroyEverything(drydock);
        } finally {
            taskmaster.close();
            drydock.close();
        }
    }

    @Test
    void existingResourcesKeepTheConfigurationTheyWereBuiltWithWhileNewOnesGetTheEditedOne() throws Exception {
        regional.healthCheckInterval = Duration.ofMillis(200);
        drydock.blueprints().create("cloud", "regional", region("east"), 2);
        long east = leaseAndEnd(box("cloud"));

        drydock.blueprints().update("cloud", Optional.of(region("west")), Optional.empty(), Optional.empty());
        int checksBefore = regional.regions("checkHealth", east).size();

        Lease onOld = acquire(box("cloud"));
        assertThat(onOld.info().resourceId()).as("an idle resource with room is used, whatever the edit").contains(east);
        assertThatThrownBy(() -> onOld.interfaceOf(CommandInterface.class)).isInstanceOf(InterfaceNotSupportedException.class);
        onOld.release();
        onOld.awaitEnded(WAIT);

        long west = leaseAndEnd(box("cloud").attribute("region", "west"));
        assertThat(west).as("a lease requiring the new region is not placed on the old region's idle resource").isNotEqualTo(east);
        Await.until("the old resource's health checked after the edit", WAIT,
                () -> regional.regions("checkHealth", east).size() > checksBefore);
        regional.healthCheckInterval = Duration.ZERO;
        endResources(east, west);

        for (String step : List.of("allocate", "activate", "acquireLease", "interfaceFor", "releaseLease", "checkHealth", "destroy")) {
            assertThat(regional.regions(step, east)).as(step + " of the resource built in east").isNotEmpty().containsOnly("east");
        }
        assertThat(regional.regions("acquireLease", east)).as("both leases on it, one before and one after the edit").hasSize(2);
        assertThat(regional.regions("shouldKeep", east)).as("whether to keep it idle is about its future: asked with the current one")
                .containsSequence("east", "west");
        for (String step : List.of("allocate", "activate", "acquireLease", "releaseLease", "destroy")) {
            assertThat(regional.regions(step, west)).as(step + " of the resource built after the edit").isNotEmpty().containsOnly("west");
        }
        assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE id = " + east + " AND config->>'region' = 'east'"))
                .as("the snapshot is stored with the resource").isOne();
    }

    @Test
    void aDestroyFailingWithTheConfigurationItWasBuiltWithEndsOnceAnOperatorPointsItAtTheFixedOne() {
        drydock.blueprints().create("mistake", "regional", region("nowhere"), 1);
        long resource = leaseAndEnd(box("mistake"));
        drydock.releaseResource(resource);
        Await.until("its destroy failing", WAIT, () -> reason(resource).contains("destroy failing"));

        drydock.blueprints().update("mistake", Optional.of(region("east")), Optional.empty(), Optional.empty());
        int tries = regional.regions("destroy", resource).size();
        Await.until("two more tries after the edit", WAIT, () -> regional.regions("destroy", resource).size() >= tries + 2);
        assertThat(regional.regions("destroy", resource))
                .as("the edit alone never destroys it elsewhere: a region it was not built in could report gone what exists")
                .containsOnly("nowhere");
        assertThat(status(resource)).isEqualTo(ResourceStatus.RELEASED);
        assertThat(reason(resource)).as("the operator is told what to do").contains("drydock-control resource use-current-config " + resource);

        assertThat(drydock.useCurrentConfig(resource, "root (uid 0)")).isTrue();
        Await.until("destroyed with the fixed configuration", WAIT, () -> status(resource) == ResourceStatus.DESTROYED);
        assertThat(regional.regions("destroy", resource).getLast()).isEqualTo("east");
        assertThat(drydock.blueprints().find("mistake").orElseThrow().resources()).as("its place in the limit is free").isZero();
        assertThat(drydock.logs(Optional.empty(), Optional.of(resource), Optional.empty(), 0, 100))
                .anyMatch(e -> e.message().contains("now uses blueprint mistake's current configuration")
                        && e.message().contains("as operator root (uid 0) asked"));
        assertThatThrownBy(() -> drydock.useCurrentConfig(resource, "root (uid 0)"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("resource " + resource + " is destroyed");
    }

    @Test
    void aResourceBuiltBeforeSnapshotsWereStoredUsesItsBlueprintsCurrentConfiguration() throws SQLException {
        drydock.blueprints().create("older", "regional", region("east"), 1);
        long resource = leaseAndEnd(box("older"));
        execute("UPDATE dd_resource SET config = NULL, config_version = NULL WHERE id = " + resource); // as V8 leaves older rows
        drydock.blueprints().update("older", Optional.of(region("west")), Optional.empty(), Optional.empty());

        endResources(resource);
        assertThat(regional.regions("destroy", resource)).containsExactly("west");
    }

    /** A request for the named blueprint only: the class's tests share a database, and each edits its own blueprint. */
    private static LeaseRequest.Builder box(String blueprint) {
        return LeaseRequest.builder("regional-box").blueprint(blueprint);
    }

    private static String region(String region) {
        return "{\"capacity\": 1, \"region\": \"" + region + "\"}";
    }

    private Lease acquire(LeaseRequest.Builder request) {
        return drydock.allocator().acquire(request.acquireDeadline(WAIT).build()).await(WAIT);
    }

    /** Acquires a lease, releases it, waits for its clean-up, and returns the resource it had. */
    private long leaseAndEnd(LeaseRequest.Builder request) {
        Lease lease = acquire(request);
        long resource = lease.info().resourceId().orElseThrow();
        lease.release();
        lease.awaitEnded(WAIT);
        return resource;
    }

    private void endResources(long... ids) {
        for (long id : ids) {
            drydock.releaseResource(id);
        }
        for (long id : ids) {
            Await.until("resource " + id + " destroyed", WAIT, () -> status(id) == ResourceStatus.DESTROYED);
        }
    }

    private ResourceStatus status(long id) {
        return drydock.resource(id).orElseThrow().status();
    }

    private String reason(long id) {
        return drydock.resource(id).orElseThrow().statusReason();
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
