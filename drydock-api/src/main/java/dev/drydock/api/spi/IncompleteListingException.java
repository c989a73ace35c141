package dev.drydock.api.spi;

import dev.drydock.api.DrydockException;
import java.util.List;

/**
 * Thrown by {@link Reaper#list} that reached some of the places it lists and not others (one of
 * several hypervisors down): it carries what it did find. The engine treats what it found as
 * listed, so orphans in the places that answered are still destroyed, and shows the message as that
 * pass's listing error. Nothing in the places that did not answer is destroyed on this listing's
 * word, since nothing there was listed.
 */
public final class IncompleteListingException extends DrydockException {
    private final transient List<OwnedObject> found;

    /**
     * @param message what could not be listed and why, in words for an operator
     *                ({@code "hypervisor qemu+ssh://hv2/system did not answer: ..."})
     * @param found   every object listed in the places that answered
     */
    public IncompleteListingException(String message, List<OwnedObject> found) {
        super(message);
        this.found = List.copyOf(found);
    }

    /** What the places that answered hold. */
    public List<OwnedObject> found() {
        return found;
    }
}
