package dev.drydock.blueprint.workingcopy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.api.FilesystemInterface;
import dev.drydock.api.spi.ResourceContext;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * The environment that gives git the repository's credentials, resolved from their references on
 * every use (so a rotated secret is picked up). An HTTPS password travels as an authorization header
 * set through git's environment; an SSH key and known hosts are written {@code 0600} into the
 * clone's {@code ssh} directory on the host, which goes with the clone. Nothing secret is ever in an
 * argument, a URL, an attribute or a log line.
 */
final class Credentials {
    static final String SSH_DIRECTORY = "ssh";

    private Credentials() {}

    static Map<String, String> environment(WorkingCopyConfig config, ResourceContext resource, CommandInterface host,
                                           FilesystemInterface files, String cacheDirectory) {
        Map<String, String> env = new TreeMap<>();
        switch (RepositoryUrl.kind(config.repository())) {
            case FILE -> { }
            case HTTPS -> {
                if (config.password() != null) {
                    String pair = config.usernameOrDefault() + ":" + resource.secret(config.password());
                    env.put("GIT_CONFIG_COUNT", "1");
                    env.put("GIT_CONFIG_KEY_0", "http.extraHeader");
                    env.put("GIT_CONFIG_VALUE_0", "Authorization: Basic "
                            + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
                }
            }
            case SSH -> env.put("GIT_SSH_COMMAND", sshCommand(config, resource, host, files, cacheDirectory));
        }
        return env;
    }

    private static String sshCommand(WorkingCopyConfig config, ResourceContext resource, CommandInterface host,
                                     FilesystemInterface files, String cacheDirectory) {
        StringBuilder ssh = new StringBuilder("ssh -o BatchMode=yes");
        if (config.privateKey() == null && config.knownHosts() == null) {
            return ssh.toString();
        }
        String dir = absolute(host, cacheDirectory) + "/" + SSH_DIRECTORY;
        if (config.privateKey() != null) {
            String key = resource.secret(config.privateKey());
            writePrivate(files, cacheDirectory + "/" + SSH_DIRECTORY + "/key", key.endsWith("\n") ? key : key + "\n");
            ssh.append(" -o IdentitiesOnly=yes -i '").append(dir).append("/key'");
        }
        if (config.knownHosts() != null) {
            writePrivate(files, cacheDirectory + "/" + SSH_DIRECTORY + "/known_hosts", config.knownHosts() + "\n");
            ssh.append(" -o StrictHostKeyChecking=yes -o UserKnownHostsFile='").append(dir).append("/known_hosts'");
        }
        return ssh.toString();
    }

    private static void writePrivate(FilesystemInterface files, String path, String content) {
        files.write(path, new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8)), PosixFilePermissions.fromString("rw-------"));
    }

    /** The cache directory's absolute path on the host, for the SSH command git runs from elsewhere. */
    private static String absolute(CommandInterface host, String cacheDirectory) {
        CommandResult pwd = host.run(Command.builder(java.util.List.of("pwd", "-P")).workingDirectory(cacheDirectory).build());
        String path = pwd.stdoutText().strip();
        if (!pwd.succeeded() || !path.startsWith("/") || path.contains("'")) {
            throw new DrydockException("cannot tell where the cache directory " + cacheDirectory + " is on the host (pwd said '"
                    + path + "'); a directory whose path holds a quote cannot hold an SSH key");
        }
        return path;
    }
}
