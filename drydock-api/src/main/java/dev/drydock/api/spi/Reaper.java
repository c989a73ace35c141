package dev.drydock.api.spi;

import java.util.List;

/**
 * Finds and destroys what a blueprint's resources left outside the database, for a blueprint that
 * tags everything it creates with {@link ObjectTags}. The engine asks a blueprint for one
 * ({@link BlueprintImplementation#reaper}) on every pass, every
 * {@link BlueprintImplementation#reapInterval}, and decides alone what to destroy: an object is
 * destroyed only when it carries this installation's and this blueprint's tags and, on two passes at
 * least one interval apart, the resource its tag names has no row or a DESTROYED one. Untagged
 * objects, other installations' and other blueprints' are never destroyed, whatever the list holds.
 *
 * <p>Both calls run on a taskmaster, outside any transaction, and may be repeated after a crash.
 * They should take seconds: a pass with much to destroy is worked through a destroy at a time.
 */
public interface Reaper {
    /**
     * The objects that exist and are not already on their way out (an EC2 instance shutting down or
     * terminated is not listed), with all their tags. It must hold every object tagged with
     * {@code installationId} and {@code blueprintId} ({@link ObjectTags#INSTALLATION},
     * {@link ObjectTags#BLUEPRINT}), and may hold others: the engine ignores them, so a blueprint
     * whose outside world cannot filter by tag may list everything it can see. Throws when it
     * cannot list; the engine then destroys nothing on this list's word, shows the error in
     * {@code status}, and tries again next pass. One that lists several places and reaches only
     * some throws {@link IncompleteListingException} with what it found there.
     */
    List<OwnedObject> list(String installationId, long blueprintId);

    /**
     * Destroys one object {@link #list} returned, and what must go with it. Idempotent: an object
     * already gone is done. Throws when it could not; the engine counts it as failing, shows the
     * error, and tries again on a later pass if the object is still listed and still orphaned.
     */
    void destroy(OwnedObject object);
}
