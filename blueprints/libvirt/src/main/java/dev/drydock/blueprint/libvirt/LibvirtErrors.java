package dev.drydock.blueprint.libvirt;

import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** What a libvirt error means for a step, and how to say it without libvirt's class names. */
final class LibvirtErrors {
    private LibvirtErrors() {}

    /** The connection is gone (the daemon restarted, the SSH link dropped): reconnecting may help. */
    static boolean isConnectionLost(LibvirtException e) {
        ErrorNumber code = Hypervisor.code(e);
        return code == ErrorNumber.VIR_ERR_SYSTEM_ERROR || code == ErrorNumber.VIR_ERR_RPC || code == ErrorNumber.VIR_ERR_NO_CONNECT
                || code == ErrorNumber.VIR_ERR_INVALID_CONN || code == ErrorNumber.VIR_ERR_AUTH_FAILED;
    }

    /** libvirt's own message, which names the object and the problem. */
    static String describe(LibvirtException e) {
        String message = e.getError() != null ? e.getError().getMessage() : e.getMessage();
        return message == null ? "libvirt error " + Hypervisor.code(e) : message.strip();
    }
}
