package dev.drydock.blueprint.ec2;

import dev.drydock.api.SecretUnavailableException;
import dev.drydock.api.spi.AttributeNames;
import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.RootDirectory;
import dev.drydock.api.spi.SecretResolver;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Validation of an {@link Ec2HostConfig}: every problem, naming its field and what to write instead. */
final class Ec2ConfigChecks {
    private static final Pattern REGION = Pattern.compile("[a-z]{2}(-[a-z]+)+-\\d");
    private static final Pattern IMAGE = Pattern.compile("ami-[0-9a-f]{8,17}");
    private static final Pattern SUBNET = Pattern.compile("subnet-[0-9a-f]{8,17}");
    private static final Pattern GROUP = Pattern.compile("sg-[0-9a-f]{8,17}");
    private static final Pattern INSTANCE_TYPE = Pattern.compile("[a-z][a-z0-9-]*\\.[a-z0-9]+");
    /** EC2's own tag rules, with our tags' prefix kept for us. */
    private static final int MAX_TAGS = 40;

    private Ec2ConfigChecks() {}

    static List<ConfigProblem> problems(Ec2HostConfig c) {
        List<ConfigProblem> problems = new ArrayList<>();
        require(problems, "region", c.region() != null && REGION.matcher(c.region()).matches(), "required: an EC2 region such as eu-west-1");
        if (c.endpoint() != null) {
            require(problems, "endpoint", isHttpUri(c.endpoint()), "must be http(s)://host[:port], was '" + c.endpoint() + "'");
        }
        if ((c.accessKeyId() == null) != (c.secretAccessKey() == null)) {
            problems.add(new ConfigProblem(c.accessKeyId() == null ? "accessKeyId" : "secretAccessKey",
                    "set both accessKeyId and secretAccessKey (as references such as env:NAME), or neither for the default credential chain"));
        }
        reference(problems, "accessKeyId", c.accessKeyId(), false);
        reference(problems, "secretAccessKey", c.secretAccessKey(), false);
        reference(problems, "privateKey", c.privateKey(), true);
        require(problems, "imageId", c.imageId() != null && IMAGE.matcher(c.imageId()).matches(), "required: an AMI id such as ami-0123456789abcdef0");
        list(problems, "instanceTypes", c.instanceTypes(), INSTANCE_TYPE, "instance types such as t3.micro");
        list(problems, "subnets", c.subnets(), SUBNET, "subnet ids such as subnet-0123456789abcdef0, one per zone");
        if (c.securityGroups() != null) {
            list(problems, "securityGroups", c.securityGroups(), GROUP, "security group ids such as sg-0123456789abcdef0");
        }
        require(problems, "keyName", c.keyName() != null && !c.keyName().isBlank() && c.keyName().length() <= 255,
                "required: the name of the EC2 key pair whose private key is privateKey");
        require(problems, "sshUser", c.sshUserOrDefault().matches("[a-z_][a-z0-9_-]{0,31}"), "must be a login name, was '" + c.sshUser() + "'");
        if (c.root() != null) {
            RootDirectory.problem(c.root(), "/var/tmp/drydock").ifPresent(p -> problems.add(new ConfigProblem("root", p)));
        }
        require(problems, "sshPort", c.sshPortOrDefault() >= 1 && c.sshPortOrDefault() <= 65535, "must be 1 to 65535, was " + c.sshPort());
        tags(problems, c.tagsOrNone());
        require(problems, "userData", c.userData() == null || c.userData().length() <= 12_000,
                "must be at most 12,000 characters (EC2 takes 16 kB after base64)");
        require(problems, "rootVolumeGb", c.rootVolumeGb() == null || (c.rootVolumeGb() >= 1 && c.rootVolumeGb() <= 16_384),
                "must be 1 to 16384 GiB, was " + c.rootVolumeGb());
        require(problems, "capacity", c.capacityOrDefault() >= 1 && c.capacityOrDefault() <= 1000, "leases per instance must be 1 to 1000, was " + c.capacity());
        require(problems, "keepIdleMinutes", c.keepIdleMinutes() == null || (c.keepIdleMinutes() >= 0 && c.keepIdleMinutes() <= 7 * 24 * 60),
                "must be 0 (destroy at once) to 10080 (a week), was " + c.keepIdleMinutes());
        require(problems, "readinessCommand", c.readinessCommand() == null || c.readinessCommand().stream().noneMatch(a -> a == null || a.isEmpty()),
                "must be an argv list of non-empty strings, or [] for none");
        require(problems, "hostKeyTrust", c.hostKeyTrust() == null || c.hostKeyTrust().equals(Ec2HostConfig.TRUST_CONSOLE)
                || c.hostKeyTrust().equals(Ec2HostConfig.TRUST_FIRST_USE), "must be 'console' (the default) or 'first-use', was '" + c.hostKeyTrust() + "'");
        require(problems, "listSeconds", c.listSeconds() == null || (c.listSeconds() >= 0.05 && c.listSeconds() <= 600), "must be 0.05 to 600, was " + c.listSeconds());
        require(problems, "callsPerSecond", c.callsPerSecond() == null || (c.callsPerSecond() >= 0.1 && c.callsPerSecond() <= 1000),
                "must be 0.1 to 1000, was " + c.callsPerSecond());
        require(problems, "bootMinutes", c.bootMinutes() == null || (c.bootMinutes() >= 1 && c.bootMinutes() <= 24 * 60), "must be 1 to 1440, was " + c.bootMinutes());
        require(problems, "healthCheckSeconds", c.healthCheckSeconds() == null || c.healthCheckSeconds() >= 1, "must be at least 1, was " + c.healthCheckSeconds());
        require(problems, "reapMinutes", c.reapMinutes() == null || (c.reapMinutes() >= 0.01 && c.reapMinutes() <= 24 * 60), "must be 0.01 to 1440, was " + c.reapMinutes());
        require(problems, "quotaPauseSeconds", c.quotaPauseSeconds() == null || (c.quotaPauseSeconds() >= 1 && c.quotaPauseSeconds() <= 3600),
                "must be 1 to 3600, was " + c.quotaPauseSeconds());
        problems.addAll(AttributeNames.problems(c.attributesOrNone()));
        return problems;
    }

    /**
     * At create and update: also that every secret reference can be read now (its value is never
     * kept or shown), so a typo is refused before any instance is built.
     */
    static List<ConfigProblem> unreadable(Ec2HostConfig c, SecretResolver secrets) {
        List<ConfigProblem> problems = new ArrayList<>();
        readable(problems, "accessKeyId", c.accessKeyId(), secrets);
        readable(problems, "secretAccessKey", c.secretAccessKey(), secrets);
        readable(problems, "privateKey", c.privateKey(), secrets);
        return problems;
    }

    private static void readable(List<ConfigProblem> problems, String field, String reference, SecretResolver secrets) {
        if (reference == null || !SecretResolver.isReference(reference)) {
            return;
        }
        if (!secrets.readsScheme(reference)) {
            problems.add(new ConfigProblem(field, "'" + reference.substring(0, reference.indexOf(':')) + ":' is not a secret scheme this"
                    + " Drydock reads: use file:PATH, env:NAME, or a scheme the application registered"));
            return;
        }
        try {
            secrets.resolve(reference);
        } catch (SecretUnavailableException e) {
            problems.add(new ConfigProblem(field, e.getMessage()));
        }
    }

    private static void reference(List<ConfigProblem> problems, String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                problems.add(new ConfigProblem(field, "required: a reference such as file:PATH or env:NAME"));
            }
        } else if (!SecretResolver.isReference(value)) {
            problems.add(new ConfigProblem(field, "must be a reference such as file:PATH or env:NAME; never put a secret in a configuration"));
        }
    }

    private static void list(List<ConfigProblem> problems, String field, List<String> values, Pattern each, String what) {
        if (values == null || values.isEmpty()) {
            problems.add(new ConfigProblem(field, "required: a list of " + what));
            return;
        }
        for (int i = 0; i < values.size(); i++) {
            if (values.get(i) == null || !each.matcher(values.get(i)).matches()) {
                problems.add(new ConfigProblem(field + "[" + i + "]", "must be one of " + what + ", was '" + values.get(i) + "'"));
            }
        }
        if (new HashSet<>(values).size() != values.size()) {
            problems.add(new ConfigProblem(field, "lists an entry twice"));
        }
    }

    private static void tags(List<ConfigProblem> problems, Map<String, String> tags) {
        if (tags.size() > MAX_TAGS) {
            problems.add(new ConfigProblem("tags", "at most " + MAX_TAGS + " extra tags, had " + tags.size()));
        }
        tags.forEach((key, value) -> {
            if (key == null || key.isEmpty() || key.length() > 128 || key.startsWith("aws:") || key.startsWith("drydock-")) {
                problems.add(new ConfigProblem("tags." + key, "a tag key is 1 to 128 characters and may not start with 'aws:' or 'drydock-'"));
            } else if (value == null || value.length() > 256) {
                problems.add(new ConfigProblem("tags." + key, "a tag value is at most 256 characters"));
            }
        });
    }

    private static boolean isHttpUri(String value) {
        try {
            URI uri = URI.create(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static void require(List<ConfigProblem> problems, String field, boolean ok, String problem) {
        if (!ok) {
            problems.add(new ConfigProblem(field, problem));
        }
    }
}
