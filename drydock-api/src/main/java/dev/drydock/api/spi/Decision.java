package dev.drydock.api.spi;

import java.util.Objects;

/** A blueprint's yes or no, with the reason an operator sees when it is no. */
public sealed interface Decision {
    record Yes() implements Decision {}

    record No(String reason) implements Decision {
        public No {
            Objects.requireNonNull(reason, "reason");
        }
    }

    static Decision yes() {
        return new Yes();
    }

    static Decision no(String reason) {
        return new No(reason);
    }

    default boolean allowed() {
        return this instanceof Yes;
    }
}
