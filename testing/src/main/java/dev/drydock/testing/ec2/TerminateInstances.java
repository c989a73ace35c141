package dev.drydock.testing.ec2;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Terminates instances, idempotently. As in EC2, one id in the batch that fails (unknown, or failed by
 * {@link Ec2Faults#terminateFails}) fails the whole call and terminates none of the others.
 */
final class TerminateInstances implements Ec2Action {
    private final InstanceTable table;
    private final Ec2Faults faults;
    private final Lifecycle lifecycle;

    TerminateInstances(InstanceTable table, Ec2Faults faults, Lifecycle lifecycle) {
        this.table = table;
        this.faults = faults;
        this.lifecycle = lifecycle;
    }

    @Override
    public String name() {
        return "TerminateInstances";
    }

    @Override
    public void respond(QueryParams params, XmlWriter xml) {
        List<String> ids = List.copyOf(new LinkedHashSet<>(params.list("InstanceId")));
        if (ids.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter InstanceId");
        }
        ids.forEach(Ids::requireInstanceId);
        List<String> failed = new ArrayList<>();
        List<FakeInstance> instances = new ArrayList<>();
        for (String id : ids) {
            // Every failing id uses up its fault, even when another id already fails the call.
            boolean injected = faults.takeTerminateFailure(id);
            table.listed(id).filter(instance -> !injected).ifPresentOrElse(instances::add, () -> failed.add(id));
        }
        if (!failed.isEmpty()) {
            throw Ec2Error.instanceNotFound(String.join(", ", failed));
        }
        xml.start("instancesSet");
        for (FakeInstance instance : instances) {
            InstanceState previous = instance.state();
            if (previous.canMoveTo(InstanceState.SHUTTING_DOWN)) {
                lifecycle.terminate(instance);
            }
            xml.start("item").leaf("instanceId", instance.id());
            InstanceXml.state(xml, "currentState", instance.state());
            InstanceXml.state(xml, "previousState", previous);
            xml.end();
        }
        xml.end();
    }
}
