package dev.drydock.blueprint.libvirt;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.libvirt.LibvirtException;

/**
 * One open connection per hypervisor URI, shared by every step of the blueprint in this process
 * (libvirt connections are thread-safe, and opening one over SSH costs a handshake). A call that
 * fails with a connection error drops the connection, so the next step opens a fresh one.
 */
final class Hypervisors implements AutoCloseable {
    private final Map<String, Hypervisor> open = new ConcurrentHashMap<>();

    /** The function of a step that talks to one hypervisor. */
    @FunctionalInterface
    interface Call<T> {
        T on(Hypervisor hypervisor) throws LibvirtException;
    }

    /** Runs {@code call} on {@code uri}'s connection, opening it if needed. */
    <T> T with(String uri, Call<T> call) throws LibvirtException {
        Hypervisor hypervisor = open.get(uri);
        if (hypervisor == null) {
            Hypervisor opened = Hypervisor.open(uri);
            hypervisor = open.putIfAbsent(uri, opened);
            if (hypervisor == null) {
                hypervisor = opened;
            } else {
                opened.close();
            }
        }
        try {
            return call.on(hypervisor);
        } catch (LibvirtException e) {
            if (LibvirtErrors.isConnectionLost(e)) {
                open.remove(uri, hypervisor);
                hypervisor.close();
            }
            throw e;
        }
    }

    @Override
    public void close() {
        open.values().forEach(Hypervisor::close);
        open.clear();
    }
}
