package dev.drydock.testing.ec2;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/** Every call the fake answered, in order, for tests that assert how a client talks to EC2. */
final class CallLog {
    private static final List<String> SECRET_PARAMS = List.of("UserData", "AWSAccessKeyId", "Signature");

    private final ReentrantLock lock = new ReentrantLock();
    private final List<Ec2Call> calls = new ArrayList<>();

    void record(String action, QueryParams params, String outcome) {
        Map<String, String> shown = new LinkedHashMap<>(params.values());
        shown.remove("Action");
        shown.remove("Version");
        for (String secret : SECRET_PARAMS) {
            shown.computeIfPresent(secret, (name, value) -> "(" + value.length() + " characters)");
        }
        Ec2Call call = new Ec2Call(Instant.now(), action, shown, outcome);
        lock.lock();
        try {
            calls.add(call);
        } finally {
            lock.unlock();
        }
    }

    List<Ec2Call> calls() {
        lock.lock();
        try {
            return List.copyOf(calls);
        } finally {
            lock.unlock();
        }
    }

    int count(String action) {
        return (int) calls().stream().filter(call -> call.action().equals(action)).count();
    }
}
