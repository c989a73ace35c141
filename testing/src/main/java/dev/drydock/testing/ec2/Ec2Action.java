package dev.drydock.testing.ec2;

/**
 * One EC2 API action. It runs under the instance table's lock and writes the members of its response
 * element; {@link Ec2Api} writes the element itself and the request id around them.
 */
interface Ec2Action {
    String name();

    void respond(QueryParams params, XmlWriter xml);
}
