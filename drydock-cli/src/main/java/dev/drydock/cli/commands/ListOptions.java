package dev.drydock.cli.commands;

import java.util.Optional;
import picocli.CommandLine.Option;

/** The filters and paging that lease list and resource list share (a picocli mixin), as the HTTP API's lists take them. */
final class ListOptions {
    @Option(names = "--type", paramLabel = "TYPE", description = "only those of this resource type")
    String type;

    @Option(names = "--blueprint", paramLabel = "NAME", description = "only those of this blueprint (a lease: once on one of its resources)")
    String blueprint;

    @Option(names = "--limit", defaultValue = "100", description = "at most this many (default ${DEFAULT-VALUE})")
    int limit;

    @Option(names = "--before", paramLabel = "ID", description = "only those older than ID: the next page after it")
    Long before;

    Optional<String> type() {
        return Optional.ofNullable(type);
    }

    Optional<String> blueprint() {
        return Optional.ofNullable(blueprint);
    }

    Optional<Long> before() {
        return Optional.ofNullable(before);
    }
}
