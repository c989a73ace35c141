package dev.drydock.core.internal.blueprint;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.SecretResolver;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** Blueprint implementations by type name, and turning stored JSON into their typed, validated configs. */
public final class BlueprintRegistry {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BlueprintRegistry.class);
    /** Accepted configurations by type and JSON: every lease step needs one, and they are immutable. */
    private static final int CACHED_CONFIGS = 256;
    private final Map<String, BlueprintImplementation<?>> byType;
    private final Map<String, Configured> accepted = new ConcurrentHashMap<>();

    public BlueprintRegistry(List<BlueprintImplementation<?>> implementations) {
        Map<String, BlueprintImplementation<?>> map = new TreeMap<>();
        for (BlueprintImplementation<?> impl : implementations) {
            if (map.putIfAbsent(impl.type(), impl) != null) {
                throw new IllegalArgumentException("two blueprint implementations claim type '" + impl.type() + "'");
            }
        }
        this.byType = Map.copyOf(map);
    }

    public Optional<BlueprintImplementation<?>> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    public List<String> types() {
        return List.copyOf(new TreeMap<>(byType).keySet());
    }

    public BlueprintImplementation<?> require(String type) {
        return find(type).orElseThrow(() -> new InvalidRequestException("type",
                "unknown blueprint type '" + type + "'; known types: " + String.join(", ", types())));
    }

    /** Reads and validates a configuration; refuses it naming each bad field. */
    public Configured configure(String type, String configJson) {
        String key = type + '\u0000' + configJson;
        Configured cached = accepted.get(key);
        if (cached != null) {
            return cached;
        }
        Configured configured = configure(require(type), configJson);
        if (accepted.size() >= CACHED_CONFIGS) {
            accepted.clear(); // configurations are few; a flood of edits just starts the cache over
        }
        accepted.put(key, configured);
        return configured;
    }

    /**
     * Reads and validates a configuration a user is about to store, with its secrets at hand
     * ({@link BlueprintImplementation#validate(Record, SecretResolver)}); refuses it naming each bad
     * field, or the secret reference that cannot be read. Not cached: it asks the outside world.
     */
    public Configured accept(String type, String configJson, SecretResolver secrets) {
        return accept(require(type), configJson, secrets);
    }

    private static <C extends Record> Configured accept(BlueprintImplementation<C> impl, String configJson, SecretResolver secrets) {
        C config = ConfigReader.read(impl.type(), configJson, impl.configType());
        refuse(impl.validate(config, secrets));
        return new Configured(impl, config);
    }

    private static <C extends Record> Configured configure(BlueprintImplementation<C> impl, String configJson) {
        C config = ConfigReader.read(impl.type(), configJson, impl.configType());
        refuse(impl.validate(config));
        return new Configured(impl, config);
    }

    private static void refuse(List<ConfigProblem> problems) {
        if (!problems.isEmpty()) {
            ConfigProblem first = problems.get(0);
            String all = problems.stream().map(p -> "config." + p.field() + ": " + p.problem()).collect(Collectors.joining("; "));
            throw problems.size() == 1 ? new InvalidRequestException("config." + first.field(), first.problem())
                    : new InvalidRequestException("config", problems.size() + " problems: " + all);
        }
    }

    /** An implementation with a configuration it accepted. */
    public record Configured(BlueprintImplementation<?> implementation, Record config) {}

    /** Closes every implementation once; one that throws is logged and does not stop the others. */
    public void closeAll() {
        for (BlueprintImplementation<?> impl : byType.values()) {
            try {
                impl.close();
            } catch (RuntimeException e) {
                log.warn("blueprint type {} failed to close: {}", impl.type(), e.toString());
            }
        }
    }
}
