package dev.drydock.blueprint.remotehost;

import java.util.List;

/**
 * Configuration of a {@code remote-host} blueprint, read from JSON.
 *
 * @param hosts               the pool; each host is one resource at a time
 * @param privateKey          a reference to the pool's SSH private key: {@code file:PATH} or {@code env:NAME}; never
 *                            the key itself (a host may name its own)
 * @param passphrase          a reference to the key's passphrase, if it has one
 * @param capacity            leases one host holds at once (default 1)
 * @param root                absolute directory on every host under which leases get their directories (default /tmp/drydock)
 * @param healthCheckSeconds  how often an active host is checked (default 5)
 * @param attributes          facts every host of the pool has, which a lease may require (default none)
 */
public record RemoteHostConfig(List<Host> hosts, String privateKey, String passphrase, Integer capacity, String root,
                               Integer healthCheckSeconds, java.util.Map<String, String> attributes) {
    /**
     * One host of the pool.
     *
     * @param name     unique in the pool; the slot name
     * @param hostKey  the host's key as a known_hosts line, or its pinned fingerprint {@code SHA256:...}
     * @param enabled    false to stop new leases on it without touching leases in flight (default true)
     * @param privateKey a reference to this host's own key, overriding the pool's
     */
    public record Host(String name, String address, Integer port, String user, String hostKey, Boolean enabled, String privateKey) {
        int portOrDefault() {
            return port == null ? 22 : port;
        }

        boolean isEnabled() {
            return enabled == null || enabled;
        }
    }

    int capacityOrDefault() {
        return capacity == null ? 1 : capacity;
    }

    String rootOrDefault() {
        return root == null ? "/tmp/drydock" : root;
    }

    java.util.Map<String, String> attributesOrNone() {
        return attributes == null ? java.util.Map.of() : attributes;
    }

    int healthCheckSecondsOrDefault() {
        return healthCheckSeconds == null ? 5 : healthCheckSeconds;
    }
}
