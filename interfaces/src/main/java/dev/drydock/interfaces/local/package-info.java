/**
 * The command and filesystem interfaces of a resource that is this machine: processes run with
 * {@link java.lang.ProcessBuilder} and files are read and written with {@link java.nio.file.Files},
 * both confined to the lease's directory.
 */
package dev.drydock.interfaces.local;
