package dev.drydock.cli.commands;

import dev.drydock.api.LeaseInfo;
import dev.drydock.cli.HeldLeases;
import dev.drydock.cli.OsUser;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "release", mixinStandardHelpOptions = true,
        description = {"Release leases you acquired with this CLI (their owner tokens are kept under $DRYDOCK_HOME).",
                "A lease that has already ended is reported and left as it is. Every lease is checked before any is released."})
public final class ReleaseCommand extends Base {
    @Parameters(paramLabel = "ID", arity = "1..*")
    List<Long> ids;

    @Option(names = "--operator", description = "release leases you do not hold, as an operator; the lease's log records your OS user")
    boolean operator;

    @Override
    public Integer call() {
        HeldLeases held = held();
        List<Long> toRelease = new ArrayList<>();
        for (long id : ids) {
            LeaseInfo info = held.info(id); // every id checked before any lease is released
            if (info.status().isDone()) {
                out().println("lease " + id + " has already ended: it is " + info.status() + " (" + info.statusReason() + "); nothing to release");
                continue;
            }
            held.requireMayRelease(id, operator);
            toRelease.add(id);
        }
        for (long id : toRelease) {
            held.release(id, operator);
            out().println("released lease " + id + (operator ? " as operator " + OsUser.describe() : ""));
        }
        return 0;
    }
}
