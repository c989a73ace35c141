package dev.drydock.blueprint.remotehost;

import dev.drydock.api.spi.ConfigField;
import java.util.List;

/** The fields of a {@link RemoteHostConfig}, for help texts (docs/remote-hosts.md has the same table). */
final class ConfigFields {
    static final List<ConfigField> ALL = List.of(
            new ConfigField("hosts", "list", "required: the pool, at least one host; each host is one resource at a time"),
            new ConfigField("hosts[].name", "text", "required, unique in the pool: a letter or digit, then letters, digits, '.', '_', '-'"),
            new ConfigField("hosts[].address", "text", "required: host name or IP address"),
            new ConfigField("hosts[].port", "whole number", "1 to 65535 (default 22)"),
            new ConfigField("hosts[].user", "text", "required: the login user; its login shell must be a POSIX shell"),
            new ConfigField("hosts[].hostKey", "text", "required: a SHA256:... fingerprint or a known_hosts line; host keys are always verified"),
            new ConfigField("hosts[].enabled", "true or false", "false stops new leases on the host (default true)"),
            new ConfigField("hosts[].privateKey", "text", "file:PATH or env:NAME, overriding the pool's privateKey for this host"),
            new ConfigField("privateKey", "text", "file:PATH or env:NAME of the SSH private key; required unless every host has its own"),
            new ConfigField("passphrase", "text", "file:PATH or env:NAME of the key's passphrase, for an encrypted key"),
            new ConfigField("capacity", "whole number", "leases per host at once, 1 to 1000 (default 1)"),
            new ConfigField("root", "text", "absolute directory below / without '..', '.' or control characters on every host, under which leases get directories (default /tmp/drydock)"),
            new ConfigField("healthCheckSeconds", "whole number", "how often an active host is checked, at least 1 (default 5)"),
            new ConfigField("attributes", "object of text", "facts every host of the pool has, which a lease may require with"
                    + " --attr NAME=VALUE (default none)"));

    private ConfigFields() {}
}
