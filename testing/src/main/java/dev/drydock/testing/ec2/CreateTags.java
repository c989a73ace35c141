package dev.drydock.testing.ec2;

import java.util.List;
import java.util.Map;

/** Adds or replaces tags on instances; the fake has no other taggable resources, so other ids are invalid. */
final class CreateTags implements Ec2Action {
    private final InstanceTable table;

    CreateTags(InstanceTable table) {
        this.table = table;
    }

    @Override
    public String name() {
        return "CreateTags";
    }

    @Override
    public void respond(QueryParams params, XmlWriter xml) {
        List<String> resources = params.list("ResourceId");
        if (resources.isEmpty()) {
            throw Ec2Error.client("MissingParameter", "The request must contain the parameter ResourceId");
        }
        Map<String, String> tags = LaunchSpec.tags(params);
        List<FakeInstance> instances = resources.stream().map(this::instance).toList();
        instances.forEach(instance -> instance.tags().putAll(tags));
        xml.leaf("return", true);
    }

    private FakeInstance instance(String resourceId) {
        if (!resourceId.startsWith("i-")) {
            throw Ec2Error.client("InvalidID", "The ID '" + resourceId + "' is not valid");
        }
        Ids.requireInstanceId(resourceId);
        return table.listed(resourceId).orElseThrow(() -> Ec2Error.instanceNotFound(resourceId));
    }
}
