package dev.drydock.cli.commands;

import dev.drydock.cli.LocalDatabase;
import dev.drydock.cli.Output;
import dev.drydock.cli.Session;
import dev.drydock.embedded.LocalPostgres;
import dev.drydock.embedded.ServerStatus;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code db status} and {@code db stop}: the local PostgreSQL under DRYDOCK_HOME outlives the commands
 * that start it, so it needs commands of its own. Neither starts it nor touches an external database.
 */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "The local PostgreSQL kept under $DRYDOCK_HOME (default ~/.drydock): it keeps running after the command that started it.",
        subcommands = {DbCommand.Status.class, DbCommand.Stop.class})
public final class DbCommand extends Base {
    @Override
    public Integer call() {
        throw bad("say what to do: db status, or db stop");
    }

    /** The local server, after refusing when the user configured another database. */
    static LocalPostgres local(Base command, String verb) {
        Session session = command.session();
        if (session.externalDatabase().isPresent()) {
            throw command.bad("db " + verb + " manages only the local database under " + session.home()
                    + "; --db / DRYDOCK_DB_URL names another server, which drydock-control does not start or stop");
        }
        return LocalDatabase.local(session.home());
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Whether the local PostgreSQL runs, its pid, port, data directory and version.")
    static final class Status extends Base {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            LocalPostgres local = local(this, "status");
            ServerStatus status = local.status();
            if (json) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("running", status.running());
                m.put("pid", status.pid().isPresent() ? status.pid().getAsLong() : null);
                m.put("port", status.port().isPresent() ? status.port().getAsInt() : null);
                m.put("dataDirectory", status.dataDirectory().toString());
                m.put("version", local.version());
                out().println(Output.json(m));
                return 0;
            }
            if (status.running()) {
                out().println("running: pid " + status.pid().getAsLong() + ", 127.0.0.1 port " + status.port().getAsInt());
            } else {
                out().println("stopped (the next drydock command that needs it starts it)");
            }
            out().println("data directory: " + status.dataDirectory());
            out().println("version: PostgreSQL " + local.version());
            return 0;
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true,
            description = "Stop the local PostgreSQL (fast shutdown: sessions end, committed data stays). Taskmasters using it lose their database.")
    static final class Stop extends Base {
        @Override
        public Integer call() {
            LocalPostgres local = local(this, "stop");
            if (local.stop()) {
                out().println("stopped the local database in " + local.dataDirectory());
            } else {
                out().println("the local database in " + local.dataDirectory() + " was not running");
            }
            return 0;
        }
    }
}
