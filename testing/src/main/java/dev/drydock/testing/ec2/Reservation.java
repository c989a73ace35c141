package dev.drydock.testing.ec2;

import java.util.List;

/** The instances one RunInstances call launched; a repeated call with its ClientToken gets it back. */
record Reservation(Key key, LaunchSpec spec, List<FakeInstance> instances) {
    /** What each of the reservation's instances reports about the call that made it. */
    record Key(String id, String clientToken) {}

    Reservation {
        instances = List.copyOf(instances);
    }
}
