package dev.drydock.blueprint.libvirt;

import java.util.EnumSet;
import java.util.Set;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/** What a libvirt error means for a step, and how to say it without libvirt's class names. */
final class LibvirtErrors {
    /**
     * Answers that asking again does not change: the driver lacks the call or the flag, the
     * arguments or the XML are refused, the object named in the configuration is not there, or
     * the account may not do it. Anything else (a busy or slow host, a lost connection, a domain
     * in the wrong state for a moment) may pass.
     */
    private static final Set<ErrorNumber> REFUSALS = EnumSet.of(ErrorNumber.VIR_ERR_NO_SUPPORT, ErrorNumber.VIR_ERR_OPERATION_UNSUPPORTED,
            ErrorNumber.VIR_ERR_ARGUMENT_UNSUPPORTED, ErrorNumber.VIR_ERR_CONFIG_UNSUPPORTED, ErrorNumber.VIR_ERR_INVALID_ARG,
            ErrorNumber.VIR_ERR_XML_ERROR, ErrorNumber.VIR_ERR_XML_DETAIL, ErrorNumber.VIR_ERR_XML_INVALID_SCHEMA,
            ErrorNumber.VIR_ERR_NO_STORAGE_POOL, ErrorNumber.VIR_ERR_OPERATION_DENIED, ErrorNumber.VIR_ERR_ACCESS_DENIED,
            ErrorNumber.VIR_ERR_CPU_INCOMPATIBLE);

    private LibvirtErrors() {}

    /** The hypervisor refused the call in a way that trying again, unchanged, will not change. */
    static boolean isRefusal(LibvirtException e) {
        ErrorNumber code = Hypervisor.code(e);
        return code != null && REFUSALS.contains(code);
    }

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
