package dev.drydock.core.internal;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.core.internal.store.BlueprintRow;
import dev.drydock.core.internal.store.BlueprintStore;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;

/**
 * Refuses, before anything is stored, a request no blueprint could ever serve: a resource type no
 * blueprint builds, or a blueprint named that does not exist or builds another type. The blueprints'
 * names and types are kept from the last look; only a request they cannot answer looks again, so
 * requests that pass cost no statement.
 */
final class RequestCheck {
    private final Jdbi jdbi;
    private volatile Map<String, String> typeByBlueprint = Map.of();

    RequestCheck(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    void check(LeaseRequest request) {
        if (!passes(request, typeByBlueprint)) {
            typeByBlueprint = jdbi.withHandle(h -> BlueprintStore.all(h).stream()
                    .collect(Collectors.toMap(BlueprintRow::name, BlueprintRow::resourceType, (a, b) -> a, TreeMap::new)));
            refuse(request, typeByBlueprint);
        }
    }

    private static boolean passes(LeaseRequest request, Map<String, String> known) {
        if (!known.containsValue(request.resourceType())) {
            return false;
        }
        return request.allowedBlueprints().stream().allMatch(b -> request.resourceType().equals(known.get(b)));
    }

    private static void refuse(LeaseRequest request, Map<String, String> known) {
        String type = request.resourceType();
        String sameType = known.entrySet().stream().filter(e -> e.getValue().equals(type)).map(Map.Entry::getKey)
                .collect(Collectors.joining(", "));
        for (String name : request.allowedBlueprints()) {
            String built = known.get(name);
            if (built == null) {
                throw new InvalidRequestException("allowedBlueprints", "no blueprint named '" + name + "'"
                        + (sameType.isEmpty() ? "" : "; blueprints of type " + type + ": " + sameType));
            }
            if (!built.equals(type)) {
                throw new InvalidRequestException("allowedBlueprints", "blueprint '" + name + "' builds " + built
                        + " resources, not " + type
                        + (sameType.isEmpty() ? "" : "; blueprints of type " + type + ": " + sameType));
            }
        }
        if (sameType.isEmpty()) {
            String types = String.join(", ", new java.util.TreeSet<>(known.values()));
            throw new InvalidRequestException("resourceType", "no blueprint builds resources of type '" + type + "'"
                    + (types.isEmpty() ? "; there are no blueprints yet: create one first" : "; types that blueprints build: " + types));
        }
    }
}
