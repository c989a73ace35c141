package dev.drydock.testing.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * Launches instances, honouring ClientToken as EC2 documents it: the same token with the same
 * parameters returns the first call's reservation as it is now; with other parameters it is refused.
 * Checks run in EC2's order: the request, idempotency, references, quota, then capacity.
 */
final class RunInstances implements Ec2Action {
    private static final int MAX_CLIENT_TOKEN = 64;

    private final InstanceTable table;
    private final Catalog catalog;
    private final Ec2Faults faults;
    private final Lifecycle lifecycle;

    RunInstances(InstanceTable table, Catalog catalog, Ec2Faults faults, Lifecycle lifecycle) {
        this.table = table;
        this.catalog = catalog;
        this.faults = faults;
        this.lifecycle = lifecycle;
    }

    @Override
    public String name() {
        return "RunInstances";
    }

    @Override
    public void respond(QueryParams params, XmlWriter xml) {
        LaunchSpec spec = LaunchSpec.parse(params);
        String clientToken = params.optional("ClientToken").orElse("");
        if (clientToken.length() > MAX_CLIENT_TOKEN) {
            throw Ec2Error.client("InvalidParameterValue", "Value for parameter ClientToken is too long: at most 64 characters");
        }
        Reservation reservation = table.byClientToken(clientToken)
                .map(earlier -> sameRequest(earlier, spec))
                .orElseGet(() -> launch(spec, clientToken));
        InstanceXml.reservation(xml, reservation.key().id(), reservation.instances());
    }

    private static Reservation sameRequest(Reservation earlier, LaunchSpec spec) {
        if (!earlier.spec().equals(spec)) {
            throw Ec2Error.client("IdempotentParameterMismatch", "The client token '" + earlier.key().clientToken()
                    + "' was used before with different parameters.");
        }
        return earlier;
    }

    private Reservation launch(LaunchSpec spec, String clientToken) {
        String zone = catalog.check(spec);
        if (faults.vcpuLimitExceededNow()) {
            throw Ec2Error.client("VcpuLimitExceeded", "You have requested more vCPU capacity than your current vCPU limit"
                    + " allows for the instance bucket that the specified instance type belongs to.");
        }
        int count = spec.maxCount();
        OptionalInt limit = faults.instanceLimit();
        if (limit.isPresent()) {
            int room = Math.max(0, limit.getAsInt() - table.live());
            if (room < spec.minCount()) {
                throw Ec2Error.client("InstanceLimitExceeded", "Your quota allows for " + room
                        + " more running instance(s). You requested at least " + spec.minCount() + ".");
            }
            count = Math.min(count, room);
        }
        if (faults.noCapacity(spec.instanceType(), zone)) {
            throw Ec2Error.insufficientCapacity(spec.instanceType(), zone);
        }
        if (spec.spot() && faults.noSpotCapacityNow()) {
            throw Ec2Error.noSpotCapacity();
        }
        Reservation.Key key = new Reservation.Key(Ids.reservation(), clientToken);
        String authorizedKeys = catalog.authorizedKeys(spec.keyName());
        int unseen = faults.unseenDescribes();
        List<FakeInstance> instances = new ArrayList<>();
        for (int index = 0; index < count; index++) {
            instances.add(new FakeInstance(key, table.nextSequence(), index, spec, zone, authorizedKeys, unseen));
        }
        Reservation reservation = new Reservation(key, spec, instances);
        table.add(reservation);
        instances.forEach(lifecycle::launched);
        return reservation;
    }
}
