/**
 * The command and filesystem interfaces of a remote resource, over SSH with sshj: commands run in
 * sessions (exec channels), files move over SFTP, both confined to the lease's directory on the
 * host. Host keys are always verified against the key pinned for the target; connections are
 * cached and shared per resource by {@link dev.drydock.interfaces.ssh.SshConnections}.
 */
package dev.drydock.interfaces.ssh;
