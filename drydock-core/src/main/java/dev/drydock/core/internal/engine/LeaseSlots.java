package dev.drydock.core.internal.engine;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.core.internal.store.SlotLocks;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jdbi.v3.core.Jdbi;

/**
 * Takes a lease's exclusive slots ({@code LeaseContext.takeSlot}). Each try is one statement on its
 * own rather than part of the step's outcome, because the blueprint needs the slot (a port to bind)
 * before the step returns; the lease's clean-up frees it in its give-back statement
 * ({@code LeaseCapacity.giveBack}), and the janitor frees any of a lease destroyed another way.
 */
final class LeaseSlots {
    /** No {@code :}, which ends a group in the lock key (see {@link SlotLocks}). */
    private static final Pattern GROUP = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private final Jdbi jdbi;

    LeaseSlots(Jdbi jdbi) {
        this.jdbi = jdbi;
    }

    Optional<String> take(long resourceId, long leaseId, String group, List<String> choices) {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(choices, "choices");
        if (!GROUP.matcher(group).matches()) {
            throw new InvalidRequestException("group", "must be 1 to 64 letters, digits, '.', '_' or '-', was '" + group + "'");
        }
        if (choices.isEmpty()) {
            throw new InvalidRequestException("choices", "must name at least one slot");
        }
        for (int i = 0; i < choices.size(); i++) {
            if (choices.get(i) == null || choices.get(i).isBlank()) {
                throw new InvalidRequestException("choices[" + i + "]", "must not be blank");
            }
        }
        // A lost race means another lease took one of the choices first, so free ones run out; the
        // bound only keeps slots freed and retaken meanwhile from holding the step.
        for (int attempt = 0; attempt <= choices.size(); attempt++) {
            SlotLocks.LeaseTake take = jdbi.withHandle(h -> SlotLocks.takeForLease(h, leaseId, resourceId, group, choices));
            if (!take.lostRace()) {
                return take.slot();
            }
        }
        return Optional.empty();
    }
}
