package dev.drydock.blueprint.webroot;

/** The HTTP servers this layer can run on a host. */
enum ServerKind {
    NGINX("nginx"),
    BUSYBOX("busybox httpd"),
    PYTHON("python3 http.server");

    private final String label;

    ServerKind(String label) {
        this.label = label;
    }

    /** The kind whose {@link #label} this is, as recorded on a resource. */
    static ServerKind fromLabel(String label) {
        for (ServerKind kind : values()) {
            if (kind.label.equals(label)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("no HTTP server kind is labelled '" + label + "'");
    }

    /** The server's name as a user reads it in messages and lease facts. */
    String label() {
        return label;
    }
}
