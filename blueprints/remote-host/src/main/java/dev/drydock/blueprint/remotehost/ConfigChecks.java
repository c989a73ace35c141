package dev.drydock.blueprint.remotehost;

import dev.drydock.api.spi.ConfigProblem;
import dev.drydock.api.spi.RootDirectory;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Validation of a {@link RemoteHostConfig}: every problem, naming its field. */
final class ConfigChecks {
    private ConfigChecks() {}

    static List<ConfigProblem> problems(RemoteHostConfig c) {
        List<ConfigProblem> problems = new ArrayList<>();
        if (c.hosts() == null || c.hosts().isEmpty()) {
            problems.add(new ConfigProblem("hosts", "required: a list of {name, address, port, user, hostKey}"));
        } else {
            Set<String> names = new HashSet<>();
            for (int i = 0; i < c.hosts().size(); i++) {
                RemoteHostConfig.Host h = c.hosts().get(i);
                String at = "hosts[" + i + "]";
                if (h.name() == null || !h.name().matches("[A-Za-z0-9][A-Za-z0-9._-]{0,62}")) {
                    problems.add(new ConfigProblem(at + ".name", "required: letters, digits, '.', '_', '-'"));
                } else if (!names.add(h.name())) {
                    problems.add(new ConfigProblem(at + ".name", "'" + h.name() + "' appears twice; names must be unique"));
                }
                if (h.address() == null || h.address().isBlank()) {
                    problems.add(new ConfigProblem(at + ".address", "required: a host name or IP address"));
                }
                if (h.portOrDefault() < 1 || h.portOrDefault() > 65535) {
                    problems.add(new ConfigProblem(at + ".port", "must be 1 to 65535, was " + h.port()));
                }
                if (h.user() == null || h.user().isBlank()) {
                    problems.add(new ConfigProblem(at + ".user", "required: the login user"));
                }
                if (h.privateKey() != null && !isReference(h.privateKey())) {
                    problems.add(new ConfigProblem(at + ".privateKey", "must be a reference such as file:PATH or env:NAME; never key material"));
                }
                if (h.privateKey() == null && (c.privateKey() == null || !isReference(c.privateKey()))) {
                    problems.add(new ConfigProblem(at + ".privateKey", "no key for this host: set the pool's privateKey or the host's, "
                            + "as a reference such as file:PATH or env:NAME"));
                }
                if (h.hostKey() == null || h.hostKey().isBlank()) {
                    problems.add(new ConfigProblem(at + ".hostKey", "required: a known_hosts line (from ssh-keyscan) or a fingerprint "
                            + "SHA256:...; host keys are always verified"));
                } else if (h.address() != null && !h.address().isBlank() && h.user() != null && !h.user().isBlank()) {
                    try {
                        // Parse it now, so a malformed key is refused when the blueprint is stored, not at first use.
                        new dev.drydock.interfaces.ssh.SshTarget(h.address(), h.portOrDefault(), h.user(), h.hostKey());
                    } catch (dev.drydock.api.InvalidRequestException e) {
                        problems.add(new ConfigProblem(at + ".hostKey", e.getMessage()));
                    }
                }
            }
        }
        if (c.privateKey() != null && !isReference(c.privateKey())) {
            problems.add(new ConfigProblem("privateKey", "must be a reference such as file:PATH or env:NAME; never put key material in a configuration"));
        }
        if (c.passphrase() != null && !isReference(c.passphrase())) {
            problems.add(new ConfigProblem("passphrase", "must be a reference such as file:PATH or env:NAME"));
        }
        if (c.capacityOrDefault() < 1 || c.capacityOrDefault() > 1000) {
            problems.add(new ConfigProblem("capacity", "leases per host must be 1 to 1000, was " + c.capacity()));
        }
        RootDirectory.problem(c.rootOrDefault(), "/tmp/drydock")
                .ifPresent(p -> problems.add(new ConfigProblem("root", p)));
        problems.addAll(dev.drydock.api.spi.AttributeNames.problems(c.attributesOrNone()));
        if (c.healthCheckSecondsOrDefault() < 1) {
            problems.add(new ConfigProblem("healthCheckSeconds", "must be at least 1, was " + c.healthCheckSeconds()));
        }
        return problems;
    }

    /** A secret reference by its form (file:PATH, env:NAME, or a scheme an application registered). */
    static boolean isReference(String value) {
        return dev.drydock.api.spi.SecretResolver.isReference(value);
    }

    /** The references of {@code c} whose scheme {@code secrets} does not read, each as a problem of its field. */
    static List<ConfigProblem> unreadSchemes(RemoteHostConfig c, dev.drydock.api.spi.SecretResolver secrets) {
        List<ConfigProblem> problems = new ArrayList<>();
        java.util.function.BiConsumer<String, String> check = (field, reference) -> {
            if (reference != null && isReference(reference) && !secrets.readsScheme(reference)) {
                problems.add(new ConfigProblem(field, "'" + reference.substring(0, reference.indexOf(':'))
                        + ":' is not a secret scheme this Drydock reads: use file:PATH, env:NAME, or a scheme the application"
                        + " registered with Drydock.Builder.secretScheme"));
            }
        };
        check.accept("privateKey", c.privateKey());
        check.accept("passphrase", c.passphrase());
        if (c.hosts() != null) {
            for (int i = 0; i < c.hosts().size(); i++) {
                check.accept("hosts[" + i + "].privateKey", c.hosts().get(i).privateKey());
            }
        }
        return problems;
    }
}
