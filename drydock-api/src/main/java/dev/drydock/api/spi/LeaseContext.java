package dev.drydock.api.spi;

/** What a blueprint may do while working on one lease of a resource. */
public interface LeaseContext {
    LeaseView lease();

    /** Records a fact on the lease, e.g. the directory it works in. */
    void setAttribute(String name, String value);

    void log(String message);
}
