package dev.drydock.core;

import java.util.List;
import java.util.Objects;

/**
 * What the blueprints' reapers have done and what they wait for, for {@code status}
 * ({@link Drydock#reapers()}). A reaper destroys an object its blueprint made outside the database
 * only once it has seen it orphaned (its resource's row missing or DESTROYED) on two passes at
 * least an interval apart; until then the object is waiting for its second pass.
 *
 * @param blueprints each blueprint (not deleted) whose reaper has run, by name
 */
public record Reapers(List<Blueprint> blueprints) {
    public Reapers {
        blueprints = List.copyOf(Objects.requireNonNull(blueprints, "blueprints"));
    }

    /**
     * One blueprint's reaper.
     *
     * @param name    the blueprint's name
     * @param reaped  objects it destroyed, ever
     * @param waiting objects seen orphaned and not yet destroyed: waiting for their second pass, or
     *                failing to destroy
     * @param failing of those, the ones whose destroy threw and will be tried again next pass
     * @param errors  what is wrong now, in sentences for people: a listing that failed on its latest
     *                pass, and the error of a failing destroy; empty when nothing is
     */
    public record Blueprint(String name, long reaped, long waiting, long failing, List<String> errors) {
        public Blueprint {
            Objects.requireNonNull(name, "name");
            errors = List.copyOf(errors);
        }

        /** Whether there is anything to tell an operator about this blueprint's reaper. */
        public boolean isQuiet() {
            return reaped == 0 && waiting == 0 && errors.isEmpty();
        }
    }

    public long reaped() {
        return blueprints.stream().mapToLong(Blueprint::reaped).sum();
    }

    public long waiting() {
        return blueprints.stream().mapToLong(Blueprint::waiting).sum();
    }

    public long failing() {
        return blueprints.stream().mapToLong(Blueprint::failing).sum();
    }

    /** Whether no reaper has anything to tell: nothing reaped, nothing waiting, nothing failing. */
    public boolean isQuiet() {
        return blueprints.stream().allMatch(Blueprint::isQuiet);
    }
}
