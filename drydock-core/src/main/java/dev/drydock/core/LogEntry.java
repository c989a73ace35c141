package dev.drydock.core;

import java.time.Instant;
import java.util.Optional;

/** One row of lease and resource history. */
public record LogEntry(long id, Instant at, Optional<Long> leaseId, Optional<Long> resourceId, Optional<Long> blueprintId,
                       String message) {}
