package dev.drydock.core;

import dev.drydock.api.BlueprintInUseException;
import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.DrydockException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.WarmPoolInfo;
import dev.drydock.api.spi.SecretResolver;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.failure.DatabaseFailures;
import dev.drydock.core.internal.placement.Scorers;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.EventLog;
import dev.drydock.core.internal.store.WarmPoolStore;
import dev.drydock.core.internal.engine.Tasks;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Creates and changes stored blueprints. A configuration is validated by its implementation before
 * anything is stored, with the secrets it refers to at hand
 * ({@link dev.drydock.api.spi.BlueprintImplementation#validate(Record, SecretResolver)}): a bad one is
 * refused naming the field (or the secret reference), and nothing changes. Database
 * failures come out as {@link dev.drydock.api.DatabaseUnavailableException} or
 * {@link dev.drydock.api.DatabaseFailureException}, never quoting SQL.
 */
public final class Blueprints {
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]{0,62}");
    private final Jdbi jdbi;
    private final BlueprintRegistry registry;
    private final SecretResolver secrets;
    private final DatabaseFailures failures;
    private final Tasks tasks;
    private final Scorers scorers;

    Blueprints(Jdbi jdbi, BlueprintRegistry registry, SecretResolver secrets, DatabaseFailures failures, Tasks tasks, Scorers scorers) {
        this.jdbi = jdbi;
        this.tasks = tasks;
        this.registry = registry;
        this.secrets = secrets;
        this.failures = failures;
        this.scorers = scorers;
    }

    /** {@link #create(String, String, String, int, String)} placed by {@code binpack}, the default. */
    public BlueprintInfo create(String name, String type, String configJson, int limit) {
        return create(name, type, configJson, limit, Scorers.DEFAULT.name());
    }

    /**
     * Stores a new blueprint whose resources are ranked for a lease by the scorer named
     * {@code placement} ({@code binpack}, {@code spread}, or one registered with
     * {@code Drydock.Builder.scorer}).
     *
     * @throws InvalidRequestException a field is wrong (the name, the limit, the configuration, or a
     *         placement no scorer registered here has); nothing is stored
     */
    public BlueprintInfo create(String name, String type, String configJson, int limit, String placement) {
        Objects.requireNonNull(configJson, "configJson");
        scorers.check(placement);
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidRequestException("name", "must be lower-case letters, digits and '-', starting with a letter, was '" + name + "'");
        }
        if (limit < 0 || limit > 1_000_000) {
            throw new InvalidRequestException("limit", "must be 0 to 1000000, was " + limit);
        }
        BlueprintRegistry.Configured configured = registry.accept(type, configJson, secrets);
        String resourceType = configured.implementation().resourceType();
        return failures.call("create blueprint " + name, () -> jdbi.inTransaction(h -> {
            if (BlueprintStore.byName(h, name).isPresent()) {
                throw new InvalidRequestException("name", "a blueprint named '" + name + "' already exists");
            }
            long id = BlueprintStore.insert(h, name, type, resourceType, configJson, limit, placement);
            return info(BlueprintStore.byId(h, id).orElseThrow());
        }));
    }

    public List<BlueprintInfo> list() {
        return failures.call("list blueprints", () -> jdbi.withHandle(h -> BlueprintStore.all(h).stream().map(Blueprints::info).toList()));
    }

    public Optional<BlueprintInfo> find(String name) {
        return failures.call("read blueprint " + name, () -> jdbi.withHandle(h -> BlueprintStore.byName(h, name).map(Blueprints::info)));
    }

    /** Disabled blueprints build nothing new; their resources and leases carry on. */
    public BlueprintInfo setEnabled(String name, boolean enabled) {
        return update(name, Optional.empty(), Optional.empty(), Optional.of(enabled));
    }

    /** {@link #update(String, Optional, Optional, Optional, Optional)} keeping the placement. */
    public BlueprintInfo update(String name, Optional<String> configJson, Optional<Integer> limit, Optional<Boolean> enabled) {
        return update(name, configJson, limit, enabled, Optional.empty());
    }

    /**
     * Changes what is given and keeps the rest. A new placement applies to the next lease placed;
     * leases already on resources stay where they are.
     *
     * @throws InvalidRequestException no blueprint has that name, or a field is wrong; nothing changes
     */
    public BlueprintInfo update(String name, Optional<String> configJson, Optional<Integer> limit, Optional<Boolean> enabled,
                                Optional<String> placement) {
        placement.ifPresent(scorers::check);
        BlueprintRow current = failures.call("read blueprint " + name, () -> jdbi.withHandle(h -> BlueprintStore.byName(h, name)))
                .orElseThrow(() -> new InvalidRequestException("name", "no blueprint named '" + name + "'"));
        configJson.ifPresent(json -> registry.accept(current.type(), json, secrets));
        limit.ifPresent(l -> {
            if (l < 0 || l > 1_000_000) {
                throw new InvalidRequestException("limit", "must be 0 to 1000000, was " + l);
            }
        });
        return failures.call("update blueprint " + name, () -> jdbi.inTransaction(h -> {
            if (BlueprintStore.update(h, name, configJson, limit, enabled, placement) != 1) {
                throw new DrydockException("blueprint " + name + " changed while being updated; try again");
            }
            EventLog.blueprint(h, current.id(), "blueprint " + name + " updated"
                    + limit.map(l -> ", limit " + l).orElse("") + enabled.map(e -> e ? ", enabled" : ", disabled").orElse("")
                    + configJson.map(c -> ", new configuration").orElse("") + placement.map(p -> ", placement " + p).orElse(""));
            return info(BlueprintStore.byName(h, name).orElseThrow());
        }));
    }

    /**
     * Sets the warm pool of blueprint {@code name} for {@code attributes} (empty: any of its
     * resources): keep {@code minReady} idle, ready resources, each recycled once idle and ready
     * for {@code maxReadyAge}. Creates the pool or replaces its settings; {@code minReady} 0 with no
     * age ends it (the resources it built and no lease used are retired). The planner evaluates it
     * as soon as this commits. Warm builds are lowest priority: they never take a place in the
     * limit that a waiting lease needs (docs/planner.md).
     *
     * @throws InvalidRequestException no such blueprint, {@code minReady} outside 0 to 10000, an age
     *         under one second, or attributes the blueprint can never meet (nothing changes)
     */
    public WarmPoolInfo setWarmPool(String name, Map<String, String> attributes, int minReady, Optional<Duration> maxReadyAge) {
        Objects.requireNonNull(attributes, "attributes");
        Objects.requireNonNull(maxReadyAge, "maxReadyAge");
        if (minReady < 0 || minReady > 10_000) {
            throw new InvalidRequestException("minReady", "must be 0 to 10000, was " + minReady);
        }
        maxReadyAge.ifPresent(age -> {
            if (age.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new InvalidRequestException("maxReadyAge", "must be at least 1s, was " + DurationText.format(age));
            }
        });
        BlueprintRow current = failures.call("read blueprint " + name, () -> jdbi.withHandle(h -> BlueprintStore.byName(h, name)))
                .orElseThrow(() -> new InvalidRequestException("name", "no blueprint named '" + name + "'"));
        if (!attributes.isEmpty()) {
            BlueprintRegistry.Configured configured = registry.accept(current.type(), current.config(), secrets);
            if (dev.drydock.core.internal.engine.Engine.impl(configured).meetsAttributes(configured.config(), attributes)
                    instanceof dev.drydock.api.spi.Decision.No no) {
                throw new InvalidRequestException("attributes", "blueprint " + name + " cannot build resources with " + attributes + ": " + no.reason());
            }
        }
        return failures.call("set the warm pool of blueprint " + name, () -> jdbi.inTransaction(h -> {
            long id = WarmPoolStore.set(h, current.id(), attributes, minReady, maxReadyAge);
            EventLog.blueprint(h, current.id(), "blueprint " + name + " warm pool " + id + (attributes.isEmpty() ? "" : " " + attributes)
                    + ": minReady " + minReady + maxReadyAge.map(a -> ", maxReadyAge " + DurationText.format(a)).orElse(""));
            tasks.plan(h, current.id(), current.type());
            return WarmPoolStore.ofBlueprint(h, current.id()).stream().filter(p -> p.id() == id).findFirst()
                    .map(p -> warmPool(name, p)).orElseThrow();
        }));
    }

    /** The warm pools of blueprint {@code name} (those set to nothing included), most specific first. */
    public List<WarmPoolInfo> warmPools(String name) {
        return failures.call("read the warm pools of blueprint " + name, () -> jdbi.withHandle(h -> {
            BlueprintRow b = BlueprintStore.byName(h, name).orElseThrow(() -> new InvalidRequestException("name", "no blueprint named '" + name + "'"));
            return WarmPoolStore.ofBlueprint(h, b.id()).stream().map(p -> warmPool(name, p)).toList();
        }));
    }

    /** Every warm pool that expects something, of every blueprint: what status views show. */
    public List<WarmPoolInfo> warmPools() {
        return failures.call("read the warm pools", () -> jdbi.withHandle(h -> {
            java.util.Map<Long, String> names = BlueprintStore.names(h);
            return WarmPoolStore.all(h).stream().map(p -> warmPool(names.getOrDefault(p.blueprintId(), "?"), p)).toList();
        }));
    }

    private static WarmPoolInfo warmPool(String blueprint, WarmPoolStore.WarmPoolRow p) {
        return new WarmPoolInfo(blueprint, p.attributes(), p.minReady(), p.maxReadyAge(), p.statusReason());
    }

    /**
     * Deletes a blueprint that has no resource left but destroyed ones; its name is free again.
     *
     * @throws InvalidRequestException no blueprint has that name
     * @throws BlueprintInUseException resources it built are not yet destroyed (nothing changes)
     */
    public void delete(String name) {
        failures.run("delete blueprint " + name, () -> jdbi.useTransaction(h -> {
            BlueprintRow row = BlueprintStore.lockByName(h, name)
                    .orElseThrow(() -> new InvalidRequestException("name", "no blueprint named '" + name + "'"));
            if (row.resourceCount() > 0) {
                throw new BlueprintInUseException(name, row.resourceCount());
            }
            BlueprintStore.markDeleted(h, row.id());
            EventLog.blueprint(h, row.id(), "blueprint " + name + " deleted");
        }));
    }

    static BlueprintInfo info(BlueprintRow b) {
        return new BlueprintInfo(b.id(), b.name(), b.type(), b.resourceType(), b.resourceLimit(), b.resourceCount(), b.enabled(), b.config(), b.placement());
    }
}
