package dev.drydock.testing.ec2;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Hands each instance its own address in 127.0.0.0/8, from 127.0.0.2 upward, which Linux routes to the
 * loopback device without setup. The counter is shared by every fake in the JVM and never reuses an
 * address, so two fakes (or a dead instance and a new one) never collide on the same port.
 */
final class LoopbackAddresses {
    private static final AtomicInteger NEXT = new AtomicInteger(2);

    private LoopbackAddresses() {}

    static String next() {
        while (true) {
            int n = NEXT.getAndIncrement();
            int last = n & 0xff;
            if (n >= 0xffffff) {
                throw new IllegalStateException("no loopback addresses left in 127.0.0.0/8");
            }
            // .0 and .255 work on lo but read like network and broadcast addresses in logs.
            if (last != 0 && last != 255) {
                return "127." + ((n >> 16) & 0xff) + "." + ((n >> 8) & 0xff) + "." + last;
            }
        }
    }
}
