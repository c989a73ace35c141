package dev.drydock.cli.commands;

import dev.drydock.cli.BuildInfo;
import dev.drydock.cli.LocalDatabase;
import dev.drydock.cli.Output;
import dev.drydock.core.Drydock;
import dev.drydock.taskqueue.SchemaHistory;
import dev.drydock.taskqueue.TaskQueueSchema;
import java.sql.Connection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * This build's version and commit, the Java it runs on, and the schema versions of the database when
 * it can be reached. Never fails for the database: it does not start the local one, and says why it
 * could not read one instead of exiting non-zero.
 */
@Command(name = "version", mixinStandardHelpOptions = true,
        description = "This build's version and git commit, the Java it runs on, and the database's schema version if it is reachable.")
public final class VersionCommand extends Base {
    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    public Integer call() {
        Map<String, Object> schema = new LinkedHashMap<>();
        String database = schema(schema);
        if (json) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", BuildInfo.version());
            m.put("commit", BuildInfo.commit().orElse(null));
            m.put("java", Runtime.version().toString());
            m.put("javaVendor", System.getProperty("java.vendor"));
            m.put("javaHome", System.getProperty("java.home"));
            m.put("schema", schema);
            m.put("database", database);
            out().println(Output.json(m));
            return 0;
        }
        out().println(BuildInfo.describe());
        out().println("java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ") at " + System.getProperty("java.home"));
        out().println("schema this build carries: drydock " + Drydock.SCHEMA_VERSION + ", task queue " + TaskQueueSchema.VERSION);
        out().println("database: " + database + (schema.containsKey("drydock")
                ? ", schema drydock " + schema.get("drydock") + ", task queue " + schema.get("taskQueue") : ""));
        return 0;
    }

    /** Fills {@code schema} from the database if it is reachable; says what was read or why not. */
    private String schema(Map<String, Object> schema) {
        if (session().externalDatabase().isEmpty() && !LocalDatabase.local(session().home()).status().running()) {
            return "local database not running (not started for this)";
        }
        try (Connection c = session().dataSource().getConnection()) {
            schema.put("drydock", SchemaHistory.newest(c, "dd_schema_history").orElse(null));
            schema.put("taskQueue", SchemaHistory.newest(c, "tq_schema_history").orElse(null));
            return "reachable";
        } catch (Exception e) {
            return "not reachable (" + Optional.ofNullable(e.getMessage()).orElse(e.getClass().getSimpleName()) + ")";
        }
    }
}
