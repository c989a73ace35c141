package dev.drydock.blueprint.workingcopy;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Configuration of a {@code working-copy} blueprint, read from JSON.
 *
 * @param repository      the repository every resource clones: {@code file:///PATH}, {@code ssh://USER@HOST/PATH},
 *                        {@code USER@HOST:PATH} or {@code https://HOST/PATH}; never with a password in it (required)
 * @param username        the user name for HTTPS (default {@code git})
 * @param password        a reference to the HTTPS password or token ({@code env:NAME}, {@code file:PATH}); none by default
 * @param privateKey      a reference to the SSH private key; none by default (the host's own SSH setup is used)
 * @param knownHosts      known_hosts lines for the SSH server, checked strictly; empty uses the host's own known hosts
 * @param hostBlueprints  names of the host blueprints a clone may be leased on (default any)
 * @param hostAttributes  attributes the host lease requires (default none)
 * @param cacheDirectory  where the clone and the checkouts live, relative to the host lease's directory (default {@code working-copy})
 * @param capacity        concurrent checkouts one clone holds, 1 to 1000 (default 4)
 * @param keepIdleMinutes how long a clone with no checkouts is kept for the next lease; 0 destroys it at once (default 60)
 * @param gitTimeoutMinutes how long one clone or fetch may run before it is stopped (default 30)
 */
public record WorkingCopyConfig(String repository, String username, String password, String privateKey, String knownHosts,
                                List<String> hostBlueprints, Map<String, String> hostAttributes, String cacheDirectory,
                                Integer capacity, Integer keepIdleMinutes, Integer gitTimeoutMinutes) {
    public static final int DEFAULT_CAPACITY = 4;
    public static final String DEFAULT_CACHE_DIRECTORY = "working-copy";

    String usernameOrDefault() {
        return username == null ? "git" : username;
    }

    List<String> hostBlueprintsOrAny() {
        return hostBlueprints == null ? List.of() : hostBlueprints;
    }

    Map<String, String> hostAttributesOrNone() {
        return hostAttributes == null ? Map.of() : hostAttributes;
    }

    String cacheDirectoryOrDefault() {
        return cacheDirectory == null ? DEFAULT_CACHE_DIRECTORY : cacheDirectory;
    }

    int capacityOrDefault() {
        return capacity == null ? DEFAULT_CAPACITY : capacity;
    }

    Duration keepIdle() {
        return Duration.ofMinutes(keepIdleMinutes == null ? 60 : keepIdleMinutes);
    }

    Duration gitTimeout() {
        return Duration.ofMinutes(gitTimeoutMinutes == null ? 30 : gitTimeoutMinutes);
    }
}
