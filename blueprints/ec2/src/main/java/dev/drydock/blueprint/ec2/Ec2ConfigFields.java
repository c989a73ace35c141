package dev.drydock.blueprint.ec2;

import dev.drydock.api.spi.ConfigField;
import java.util.List;

/** The fields of an {@link Ec2HostConfig}, for help texts (docs/ec2.md has the same table). */
final class Ec2ConfigFields {
    static final List<ConfigField> ALL = List.of(
            new ConfigField("region", "text", "required: the EC2 region, e.g. eu-west-1"),
            new ConfigField("endpoint", "text", "http(s)://host[:port] of another EC2-compatible endpoint (default: the region's)"),
            new ConfigField("accessKeyId", "text", "env:NAME or file:PATH of the access key id; with secretAccessKey, or neither for the"
                    + " SDK's default chain (instance profile, environment, profile file)"),
            new ConfigField("secretAccessKey", "text", "env:NAME or file:PATH of the secret access key"),
            new ConfigField("imageId", "text", "required: the AMI, ami-..."),
            new ConfigField("instanceTypes", "list of text", "required: instance types in preference order; the next is tried when EC2 has no capacity"),
            new ConfigField("subnets", "list of text", "required: subnet ids in preference order, one per zone"),
            new ConfigField("securityGroups", "list of text", "security group ids, sg-... (default: the VPC's default group)"),
            new ConfigField("keyName", "text", "required: the EC2 key pair the instances authorize"),
            new ConfigField("privateKey", "text", "required: env:NAME or file:PATH of that key pair's SSH private key"),
            new ConfigField("sshUser", "text", "the login user (default ec2-user)"),
            new ConfigField("root", "text", "absolute directory below / without '..', '.' or control characters on every instance,"
                    + " under which leases get directories (default /tmp/drydock)"),
            new ConfigField("sshPort", "whole number", "1 to 65535 (default 22)"),
            new ConfigField("usePublicAddress", "true or false", "reach instances on their public address (default false: private)"),
            new ConfigField("tags", "object of text", "extra tags on every instance and volume; keys may not start with aws: or drydock-"),
            new ConfigField("userData", "text", "user data as text, at most 12,000 characters"),
            new ConfigField("rootVolumeGb", "whole number", "root volume size, 1 to 16384 GiB (default: the AMI's)"),
            new ConfigField("spot", "true or false", "ask for spot instances (default false)"),
            new ConfigField("onDemandFallback", "true or false", "with spot, fall back to on-demand when spot has no capacity (default true)"),
            new ConfigField("capacity", "whole number", "leases per instance at once, 1 to 1000 (default 1)"),
            new ConfigField("keepIdleMinutes", "whole number", "minutes an idle instance is kept for the next lease; 0 destroys it at once (default 0)"),
            new ConfigField("readinessCommand", "list of text", "argv run over SSH before an instance is ready (default: cloud-init status"
                    + " --wait when the image has cloud-init); [] for none"),
            new ConfigField("hostKeyTrust", "text", "console (default): trust only the host key the console output prints; first-use:"
                    + " trust the first key offered, recorded on the resource"),
            new ConfigField("listSeconds", "number", "how often the blueprint lists its instances, 0.05 to 600 (default 5)"),
            new ConfigField("callsPerSecond", "number", "the most EC2 calls per second from one taskmaster, 0.1 to 1000 (default 5)"),
            new ConfigField("bootMinutes", "whole number", "how long an instance may take to be ready, 1 to 1440 (default 15)"),
            new ConfigField("healthCheckSeconds", "whole number", "how often an active instance is checked against the listing (default 30)"),
            new ConfigField("reapMinutes", "number", "how often the reaper looks for instances without a live resource (default 5)"),
            new ConfigField("quotaPauseSeconds", "whole number", "how long the blueprint stops building after EC2 said its quota is"
                    + " reached, 1 to 3600 (default 60); a destroyed instance ends the pause"),
            new ConfigField("attributes", "object of text", "facts every instance has, which a lease may require with --attr NAME=VALUE"));

    private Ec2ConfigFields() {}
}
