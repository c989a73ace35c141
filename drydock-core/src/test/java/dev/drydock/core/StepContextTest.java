package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.ResourceInfo;
import dev.drydock.api.SecretUnavailableException;
import dev.drydock.api.spi.LeaseView;
import dev.drydock.taskqueue.Taskmaster;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What a blueprint step is given beyond its configuration: the ids to tag with, the lease that
 * caused a build, a capacity it may set while building, and secrets from a scheme the application
 * registered — checked at {@code blueprint create}, and never written anywhere.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class StepContextTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String SECRET_VALUE = "s3cr3t-value-" + System.nanoTime();

    private final ContextBlueprint blueprint = new ContextBlueprint();
    /** The application's own store of secrets, behind the scheme {@code vault:}. */
    private final Map<String, String> vault = new ConcurrentHashMap<>(Map.of("vault:db/password", SECRET_VALUE));
    private TestDatabase db;
    private Drydock drydock;
    private Taskmaster taskmaster;

    @BeforeEach
    void start(TestDatabase db) {
        this.db = db;
        drydock = Drydock.builder(db.dataSource()).register(blueprint)
                .secretScheme("vault", reference -> Optional.ofNullable(vault.get(reference))
                        .orElseThrow(() -> new SecretUnavailableException(reference, "the vault has no such entry")))
                .build();
        taskmaster = drydock.taskmaster().threads(4).pollInterval(Duration.ofMillis(100)).build().start();
    }

    @AfterEach
    void stop() {
        try {
            EngineCleanUp.destroyEverything(drydock);
            drydock.blueprints().list().forEach(b -> drydock.blueprints().delete(b.name()));
        } finally {
            taskmaster.close();
            drydock.close();
        }
    }

    @Test
    void everyStepSeesTheInstallationIdAndTheBlueprintIdToTagWith() {
        BlueprintInfo created = drydock.blueprints().create("tagged", "context", "{}", 1);

        try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("context").build()).await(WAIT)) {
            assertThat(lease.info().status()).isEqualTo(LeaseStatus.ACTIVE);
        }
        EngineCleanUp.destroyEverything(drydock);

        assertThat(blueprint.seen).extracting(ContextBlueprint.Seen::step)
                .as("every step of the resource's life").contains("allocate", "activate", "acquireLease", "destroy");
        assertThat(blueprint.seen).allSatisfy(seen -> {
            assertThat(seen.resource().installationId()).isEqualTo(drydock.installationId());
            assertThat(seen.resource().blueprintId()).isEqualTo(created.id());
        });
    }

    @Test
    void allocateSeesTheLeaseThatCausedTheBuildAndOtherStepsDoNot() {
        drydock.blueprints().create("caused", "context", "{}", 1);

        try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("context").attribute("size", "large").build()).await(WAIT)) {
            Optional<LeaseView> cause = blueprint.seen("allocate").getFirst().cause();
            assertThat(cause).as("allocate's cause").isPresent();
            assertThat(cause.get().id()).isEqualTo(lease.id());
            assertThat(cause.get().attributes()).isEqualTo(Map.of("size", "large"));
            assertThat(blueprint.seen("activate").getFirst().cause()).map(LeaseView::id).contains(lease.id());
            assertThat(blueprint.seen("acquireLease").getFirst().cause()).as("not a build step").isEmpty();
        }
    }

    @Test
    void aCapacitySetWhileActivatingIsWhatTheResourceHoldsAndTheNextLeaseWaits() {
        drydock.blueprints().create("sized", "context", "{\"capacity\": 1, \"sizedTo\": 3}", 1);

        List<Lease> held = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(drydock.allocator().acquire(LeaseRequest.builder("context").build()).await(WAIT));
        }
        List<ResourceInfo> built = drydock.resources().stream().filter(r -> r.blueprintName().equals("sized")).toList();
        assertThat(built).as("one resource holds all three").hasSize(1);
        ResourceInfo resource = built.getFirst();
        assertThat(resource.capacity()).isEqualTo(3);
        assertThat(held).allSatisfy(l -> assertThat(l.info().resourceId()).contains(resource.id()));

        try (Lease fourth = drydock.allocator().acquire(LeaseRequest.builder("context").build())) {
            Await.until("the fourth lease waits for room", WAIT, () -> fourth.info().statusReason().contains("waiting for room"));
            assertThat(fourth.info().status()).isEqualTo(LeaseStatus.PENDING);

            held.getFirst().release();
            assertThat(fourth.await(WAIT).info().resourceId()).as("the room a release made").contains(resource.id());
        } finally {
            held.forEach(Lease::release);
        }
    }

    @Test
    void aSecretOfARegisteredSchemeIsReadInAStepAndNeverWrittenAnywhere() {
        drydock.blueprints().create("vaulted", "context", "{\"token\": \"vault:db/password\"}", 1);

        try (Lease lease = drydock.allocator().acquire(LeaseRequest.builder("context").build()).await(WAIT)) {
            ResourceInfo resource = drydock.resource(lease.info().resourceId().orElseThrow()).orElseThrow();
            assertThat(resource.attributes()).containsEntry("token-length", Integer.toString(SECRET_VALUE.length()));
        }
        EngineCleanUp.destroyEverything(drydock);

        assertThat(db.queryLong("SELECT count(*) FROM dd_log WHERE message LIKE '%" + SECRET_VALUE + "%'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM dd_resource WHERE attributes::text LIKE '%" + SECRET_VALUE
                + "%' OR status_reason LIKE '%" + SECRET_VALUE + "%'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM dd_lease WHERE attributes::text LIKE '%" + SECRET_VALUE
                + "%' OR lease_attributes::text LIKE '%" + SECRET_VALUE + "%' OR status_reason LIKE '%" + SECRET_VALUE + "%'")).isZero();
        assertThat(db.queryLong("SELECT count(*) FROM dd_blueprint WHERE config::text LIKE '%" + SECRET_VALUE + "%'")).isZero();
    }

    @Test
    void aSecretRemovedAfterCreateFailsNoStepThatDoesNotReadItButRefusesAnUpdate() {
        drydock.blueprints().create("rotated", "context", "{\"capacity\": 2, \"token\": \"vault:db/password\"}", 1);
        try (Lease first = drydock.allocator().acquire(LeaseRequest.builder("context").build()).await(WAIT)) {
            vault.clear();

            try (Lease second = drydock.allocator().acquire(LeaseRequest.builder("context").build()).await(WAIT)) {
                assertThat(second.info().resourceId()).as("placed on the built resource, whose steps read no secret")
                        .isEqualTo(first.info().resourceId());
            }
        }
        assertThatThrownBy(() -> drydock.blueprints().update("rotated", Optional.of("{\"capacity\": 3, \"token\": \"vault:db/password\"}"),
                Optional.empty(), Optional.empty()))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("vault:db/password");
        assertThat(drydock.blueprints().find("rotated").orElseThrow().config()).as("unchanged").contains("\"capacity\": 2");
    }

    @Test
    void aMissingSecretRefusesBlueprintCreateNamingTheReferenceAndStoresNothing() {
        assertThatThrownBy(() -> drydock.blueprints().create("unvaulted", "context", "{\"token\": \"vault:db/missing\"}", 1))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("token")
                .hasMessageContaining("vault:db/missing")
                .hasMessageContaining("the vault has no such entry");
        assertThat(drydock.blueprints().find("unvaulted")).isEmpty();

        assertThatThrownBy(() -> drydock.blueprints().create("inline", "context", "{\"token\": \"" + SECRET_VALUE + "\"}", 1))
                .as("a value where a reference belongs is refused without being quoted")
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("env:..., file:..., vault:...")
                .hasMessageNotContaining(SECRET_VALUE);
        assertThat(drydock.blueprints().find("inline")).isEmpty();
    }

    @Test
    void aTakenOrMalformedSchemeIsRefusedWhenTheDrydockIsBuilt() {
        assertThatThrownBy(() -> Drydock.builder(db.dataSource()).secretScheme("env", reference -> "x"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("'env' is already taken");
        assertThatThrownBy(() -> Drydock.builder(db.dataSource()).secretScheme("Vault:", reference -> "x"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("was 'Vault:'");
    }
}
