package dev.drydock.blueprint.webroot;

import dev.drydock.api.spi.ConfigField;
import java.util.List;

/** The webroot configuration's fields, as {@code blueprint create --type webroot --help} shows them. */
final class WebrootFields {
    static final List<ConfigField> ALL = List.of(
            new ConfigField("hostBlueprints", "list", "names of the host blueprints a web root's server may be leased on (default any)"),
            new ConfigField("hostAttributes", "object of text", "attributes the host lease requires (default none)"),
            new ConfigField("workingCopyBlueprints", "list", "names of the working-copy blueprints its leases' checkouts may come from"
                    + " (default any)"),
            new ConfigField("ports", "text", "the ports servers listen on, FIRST-LAST, 1024 to 65535, one per lease (default "
                    + WebrootConfig.DEFAULT_PORTS + ")"),
            new ConfigField("address", "text", "the address servers listen on and URIs name (default: the host's recorded address,"
                    + " else 127.0.0.1)"),
            new ConfigField("server", "text", "auto, nginx, busybox or python; auto takes nginx, else busybox httpd, else python3"
                    + " (default auto)"),
            new ConfigField("capacity", "whole number", "leases one web root serves at once, 1 to 1000 (default "
                    + WebrootConfig.DEFAULT_CAPACITY + ")"),
            new ConfigField("readySeconds", "whole number", "seconds a lease's URI may take to answer 200 before the lease fails,"
                    + " 1 to 3600 (default 30)"),
            new ConfigField("keepIdleMinutes", "whole number", "minutes a web root with no leases is kept for the next; 0 destroys"
                    + " it at once (default 10)"));

    private WebrootFields() {}
}
