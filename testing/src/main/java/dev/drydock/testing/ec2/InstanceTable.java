package dev.drydock.testing.ec2;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The account's instances and the one lock that guards them. API calls run whole under it, so each
 * sees and leaves a consistent table; slow work (sshd starts and stops) happens outside it. It also
 * counts live instances, now and at most, for tests that assert a cap was never passed.
 */
final class InstanceTable {
    private final ReentrantLock lock = new ReentrantLock();
    // Listed instances in launch order; a terminated one leaves when its listing time is up.
    private final Map<String, FakeInstance> listed = new LinkedHashMap<>();
    // Kept after the instances leave the listing: EC2 honours a token for a day after termination.
    private final Map<String, Reservation> byClientToken = new HashMap<>();
    // Every instance ever launched, in launch order, for tests that check the whole history.
    private final List<FakeInstance> launched = new ArrayList<>();
    private long sequence;
    private int live;
    private int maxLive;

    <T> T locked(Supplier<T> work) {
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    void locked(Runnable work) {
        locked(() -> {
            work.run();
            return null;
        });
    }

    long nextSequence() {
        requireLock();
        return ++sequence;
    }

    void add(Reservation reservation) {
        requireLock();
        reservation.instances().forEach(instance -> listed.put(instance.id(), instance));
        launched.addAll(reservation.instances());
        if (!reservation.key().clientToken().isEmpty()) {
            byClientToken.put(reservation.key().clientToken(), reservation);
        }
        live += reservation.instances().size();
        maxLive = Math.max(maxLive, live);
    }

    Optional<Reservation> byClientToken(String clientToken) {
        requireLock();
        return Optional.ofNullable(byClientToken.get(clientToken));
    }

    Optional<FakeInstance> listed(String instanceId) {
        requireLock();
        return Optional.ofNullable(listed.get(instanceId));
    }

    /** Listed instances in launch order, which is also the order of DescribeInstances pages. */
    List<FakeInstance> listed() {
        requireLock();
        return new ArrayList<>(listed.values());
    }

    /** Every instance ever launched, listed or not, in launch order. */
    List<FakeInstance> launched() {
        requireLock();
        return List.copyOf(launched);
    }

    void unlist(FakeInstance instance) {
        requireLock();
        listed.remove(instance.id());
    }

    /** The only way an instance changes state. */
    void move(FakeInstance instance, InstanceState next, FakeInstance.Reason reason, String transitionReason) {
        requireLock();
        if (!instance.state().canMoveTo(next)) {
            throw new IllegalStateException(instance.id() + " cannot go from " + instance.state() + " to " + next);
        }
        instance.state(next, reason, transitionReason);
        if (next == InstanceState.TERMINATED) {
            live--;
        }
    }

    int live() {
        return locked(() -> live);
    }

    int maxLive() {
        return locked(() -> maxLive);
    }

    private void requireLock() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("the instance table is read and changed only under its lock");
        }
    }
}
