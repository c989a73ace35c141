package dev.drydock.blueprint.webroot;

import dev.drydock.api.LeaseRequest;

/** The host lease a web root's server runs on: one the configuration allows. */
final class HostRequests {
    private HostRequests() {}

    static LeaseRequest forServer(WebrootConfig config) {
        LeaseRequest.Builder request = LeaseRequest.builder("host");
        config.hostAttributesOrNone().forEach(request::attribute);
        config.hostBlueprintsOrAny().forEach(request::blueprint);
        return request.build();
    }
}
