package dev.drydock.cli.commands;

import dev.drydock.cli.DrydockControl;
import dev.drydock.cli.HeldLeases;
import dev.drydock.cli.OwnerTokens;
import dev.drydock.cli.Session;
import dev.drydock.core.Drydock;
import java.io.PrintWriter;
import picocli.CommandLine;

/** Gives every command its session and output streams. */
abstract class Base implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    Session session() {
        return ((DrydockControl) spec.root().userObject()).session();
    }

    Drydock drydock() {
        return session().drydock();
    }

    /** Leases acted on as their holder (the kept owner token) or, with --operator, as an operator. */
    HeldLeases held() {
        return new HeldLeases(drydock(), new OwnerTokens(session().home(), drydock().installationId()));
    }

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    CommandLine.ParameterException bad(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
