package dev.drydock.blueprint.workingcopy;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A lease's {@code host.resource}: the host resource its working copy must be on, so that a
 * composite can use the checkout from the host it works on (a web root's server). A working copy
 * on another host does not take such a lease, and one built for it leases exactly that host.
 */
final class HostPin {
    /** The lease attribute naming the host resource, and the resource attribute recording it. */
    static final String ATTRIBUTE = "host.resource";
    private static final Pattern ID = Pattern.compile("[1-9][0-9]{0,17}");

    private HostPin() {}

    static Optional<String> problem(String value) {
        if (value == null || ID.matcher(value).matches()) {
            return Optional.empty();
        }
        return Optional.of(ATTRIBUTE + " must be the id of a host resource (a positive whole number), was '" + value + "'");
    }

    /** The host resource a lease with these attributes must be on, if it names one. */
    static Optional<Long> of(Map<String, String> leaseAttributes) {
        return Optional.ofNullable(leaseAttributes.get(ATTRIBUTE)).map(Long::valueOf);
    }

    /** Whether a working copy whose resource attributes are these is on the host the lease asks for. */
    static boolean allows(Map<String, String> leaseAttributes, Map<String, String> resourceAttributes) {
        return of(leaseAttributes).map(id -> Long.toString(id).equals(resourceAttributes.get(ATTRIBUTE))).orElse(true);
    }
}
