package dev.drydock.testing.ec2;

import java.util.List;
import java.util.Map;

/**
 * Writes reservations and instances with the element names the SDK's EC2 unmarshaller reads
 * ({@code instanceState/name}, {@code tagSet/item/key}, {@code groupSet/item/groupId}, ...).
 */
final class InstanceXml {
    static final String OWNER_ID = "123456789012";
    private static final String VPC_ID = "vpc-00000000000000001";
    private static final String ROOT_DEVICE = "/dev/xvda";

    private InstanceXml() {}

    /** The members of a reservation: RunInstances' whole response, or one DescribeInstances item. */
    static void reservation(XmlWriter xml, String reservationId, List<FakeInstance> instances) {
        xml.leaf("reservationId", reservationId).leaf("ownerId", OWNER_ID).empty("groupSet");
        xml.start("instancesSet");
        for (FakeInstance instance : instances) {
            instance(xml, instance);
        }
        xml.end();
    }

    static void state(XmlWriter xml, String element, InstanceState state) {
        xml.start(element).leaf("code", state.code()).leaf("name", state.apiName()).end();
    }

    private static void instance(XmlWriter xml, FakeInstance instance) {
        LaunchSpec spec = instance.spec();
        xml.start("item")
                .leaf("instanceId", instance.id())
                .leaf("imageId", spec.imageId());
        state(xml, "instanceState", instance.state());
        xml.leaf("privateDnsName", "ip-" + instance.address().replace('.', '-') + ".ec2.internal")
                .empty("dnsName")
                .leaf("reason", instance.transitionReason());
        if (!spec.keyName().isEmpty()) {
            xml.leaf("keyName", spec.keyName());
        }
        xml.leaf("amiLaunchIndex", instance.launchIndex())
                .empty("productCodes")
                .leaf("instanceType", spec.instanceType())
                .leaf("launchTime", instance.launchTime())
                .start("placement").leaf("availabilityZone", instance.zone()).empty("groupName").leaf("tenancy", "default").end()
                .start("monitoring").leaf("state", "disabled").end();
        if (!spec.subnetId().isEmpty()) {
            xml.leaf("subnetId", spec.subnetId());
        }
        xml.leaf("vpcId", VPC_ID)
                .leaf("privateIpAddress", instance.address())
                .leaf("sourceDestCheck", true);
        xml.start("groupSet");
        for (String groupId : spec.securityGroupIds()) {
            xml.start("item").leaf("groupId", groupId).leaf("groupName", groupId).end();
        }
        xml.end();
        if (!instance.reason().code().isEmpty()) {
            xml.start("stateReason").leaf("code", instance.reason().code()).leaf("message", instance.reason().message()).end();
        }
        xml.leaf("architecture", "x86_64")
                .leaf("rootDeviceType", "ebs")
                .leaf("rootDeviceName", ROOT_DEVICE);
        blockDevices(xml, instance);
        if (spec.spot()) {
            xml.leaf("instanceLifecycle", "spot").leaf("spotInstanceRequestId", instance.spotRequestId());
        }
        xml.leaf("virtualizationType", "hvm");
        if (!instance.reservation().clientToken().isEmpty()) {
            xml.leaf("clientToken", instance.reservation().clientToken());
        }
        tagSet(xml, instance.tags());
        xml.leaf("hypervisor", "xen")
                .leaf("ebsOptimized", false)
                .end();
    }

    // EC2 lists a terminated instance's volumes no more: they went with it.
    private static void blockDevices(XmlWriter xml, FakeInstance instance) {
        if (instance.state() == InstanceState.TERMINATED) {
            xml.empty("blockDeviceMapping");
            return;
        }
        xml.start("blockDeviceMapping").start("item")
                .leaf("deviceName", ROOT_DEVICE)
                .start("ebs")
                .leaf("volumeId", instance.volumeId())
                .leaf("status", "attached")
                .leaf("attachTime", instance.launchTime())
                .leaf("deleteOnTermination", true)
                .end()
                .end().end();
    }

    private static void tagSet(XmlWriter xml, Map<String, String> tags) {
        xml.start("tagSet");
        tags.forEach((key, value) -> xml.start("item").leaf("key", key).leaf("value", value).end());
        xml.end();
    }
}
