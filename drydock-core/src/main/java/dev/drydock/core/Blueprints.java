package dev.drydock.core;

import dev.drydock.api.BlueprintInUseException;
import dev.drydock.api.BlueprintInfo;
import dev.drydock.api.DrydockException;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.spi.SecretResolver;
import dev.drydock.core.internal.blueprint.BlueprintRegistry;
import dev.drydock.core.internal.failure.DatabaseFailures;
import dev.drydock.core.internal.placement.Scorers;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import dev.drydock.core.internal.store.EventLog;
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
    private final Scorers scorers;

    Blueprints(Jdbi jdbi, BlueprintRegistry registry, SecretResolver secrets, DatabaseFailures failures, Scorers scorers) {
        this.jdbi = jdbi;
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
