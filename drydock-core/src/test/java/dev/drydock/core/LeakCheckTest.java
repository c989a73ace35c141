package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.api.LeaseRequest;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.ScriptedBlueprint;
import dev.drydock.testing.TestDatabase;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The leak check fails a class that leaves the engine's records behind, says what and where, and
 * lets a class that means to leave them say why. Runs small test classes (nested here, so only
 * this class runs them) and reads how they ended.
 */
class LeakCheckTest {
    private static final String RUN_BY_THIS_TEST = "drydock.leak-check-test";

    /** Keeps the nested classes, which fail on purpose, from running unless this test runs them. */
    static final class OnlyRunByLeakCheckTest implements ExecutionCondition {
        @Override
        public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
            return context.getConfigurationParameter(RUN_BY_THIS_TEST).isPresent()
                    ? ConditionEvaluationResult.enabled("run by LeakCheckTest")
                    : ConditionEvaluationResult.disabled("leaks on purpose; LeakCheckTest runs it");
        }
    }

    @Test
    void aClassThatLeavesALeaseFailsNamingTheLeaseAndWhatToDo() {
        List<Throwable> failures = run(LeavesAPendingLease.class);

        assertThat(failures).singleElement().satisfies(f -> assertThat(f).isInstanceOf(AssertionError.class)
                .hasMessageContaining("LeavesAPendingLease left leaks")
                .hasMessageContaining("1 leases not DESTROYED (UNFINISHED_LEASES)")
                .hasMessageContaining("lease 1 PENDING: requested")
                .hasMessageContaining("@LeakCheck.Allowed"));
    }

    @Test
    void aClassAllowedToLeaveLeasesPasses() {
        assertThat(run(LeavesAPendingLeaseOnPurpose.class)).isEmpty();
    }

    @Test
    void aBlueprintCountThatDisagreesWithItsResourcesFailsTheClass() {
        assertThat(run(MiscountsResources.class)).singleElement().satisfies(f -> assertThat(f)
                .hasMessageContaining("(RESOURCE_COUNT)")
                .hasMessageContaining("blueprint miscounted counts 2 resource(s), has 0"));
    }

    private static List<Throwable> run(Class<?> testClass) {
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request()
                .selectors(DiscoverySelectors.selectClass(testClass)).configurationParameter(RUN_BY_THIS_TEST, "true").build(), listener);
        return listener.getSummary().getFailures().stream().map(TestExecutionSummary.Failure::getException).toList();
    }

    @ExtendWith({OnlyRunByLeakCheckTest.class, PostgresExtension.class, LeakCheck.class})
    static class LeavesAPendingLease {
        @Test
        void requestsALeaseNoTaskmasterServes(TestDatabase db) {
            try (Drydock drydock = Drydock.builder(db.dataSource()).register(new ScriptedBlueprint()).build()) {
                drydock.blueprints().create("scripted", "scripted", "{\"capacity\": 1}", 1);
                drydock.allocator().acquire(LeaseRequest.builder("scripted").build());
            }
        }
    }

    @ExtendWith({PostgresExtension.class, LeakCheck.class})
    @LeakCheck.Allowed(value = LeakCheck.Leak.UNFINISHED_LEASES, reason = "shows that a class may leave a lease on purpose")
    static class LeavesAPendingLeaseOnPurpose extends LeavesAPendingLease {}

    @ExtendWith({OnlyRunByLeakCheckTest.class, PostgresExtension.class, LeakCheck.class})
    static class MiscountsResources {
        @Test
        void storesABlueprintThatCountsResourcesItDoesNotHave(TestDatabase db) {
            Drydock.migrate(db.dataSource());
            db.queryLong("WITH b AS (INSERT INTO dd_blueprint (name, type, resource_type, config, resource_limit, resource_count)"
                    + " VALUES ('miscounted', 'scripted', 'scripted', '{}', 5, 2) RETURNING id) SELECT id FROM b");
        }
    }
}
