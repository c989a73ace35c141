package dev.drydock.cli.commands;

import dev.drydock.api.BlueprintInfo;
import dev.drydock.cli.Output;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "blueprint", mixinStandardHelpOptions = true, description = "Create and manage blueprints.",
        subcommands = {BlueprintCommand.Create.class, BlueprintCommand.ListBlueprints.class, BlueprintCommand.Show.class,
                BlueprintCommand.Enable.class, BlueprintCommand.Disable.class, BlueprintCommand.Update.class,
                BlueprintCommand.Delete.class, BlueprintCommand.WarmPool.class})
public final class BlueprintCommand extends Base {
    @Override
    public Integer call() {
        throw bad("say what to do: create, list, show, enable, disable, update, delete or warm-pool");
    }

    /** Configuration from --config FILE|- and --set key=value pairs (values are JSON if they parse, else strings). */
    abstract static class WithConfig extends Base {
        @Option(names = "--config", paramLabel = "FILE|-", description = "configuration JSON from a file, or - for standard input")
        String configFile;

        @Option(names = "--set", paramLabel = "KEY=VALUE", description = "set one configuration field (repeatable)")
        List<String> sets = List.of();

        Optional<String> config() {
            if (configFile == null && sets.isEmpty()) {
                return Optional.empty();
            }
            String text = configFile == null ? "{}" : ConfigFile.read(configFile, this::bad);
            if (sets.isEmpty()) {
                return Optional.of(text); // as written: the engine refuses it naming what is wrong
            }
            Optional<ObjectNode> node = ConfigFile.object(text);
            if (node.isEmpty()) {
                return Optional.of(text); // not an object: the engine says why, before any --set is applied
            }
            for (String set : sets) {
                int eq = set.indexOf('=');
                if (eq <= 0) {
                    throw bad("--set takes KEY=VALUE, got '" + set + "'");
                }
                node.get().set(set.substring(0, eq), ConfigFile.value(set.substring(eq + 1)));
            }
            return Optional.of(node.get().toString());
        }
    }

    @Command(name = "create",
            description = "Create a blueprint (validated before anything is stored). With --type T --help, lists T's fields.")
    static final class Create extends WithConfig {
        @Option(names = {"-h", "--help"}, description = "show this help; with --type, also the type's configuration fields")
        boolean help;

        @Option(names = "--type", description = "implementation type: ${COMPLETION-CANDIDATES}", completionCandidates = TypeNames.class)
        String type;

        @Option(names = "--name", description = "a name of lower-case letters, digits and '-'")
        String name;

        @Option(names = "--limit", defaultValue = "10", description = "most resources at once (default ${DEFAULT-VALUE})")
        int limit;

        @Option(names = "--placement", paramLabel = "NAME", defaultValue = "binpack",
                description = "how a lease picks among its resources: binpack (fullest first, default), spread (emptiest first),"
                        + " or a scorer the daemon registered")
        String placement;

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            if (help) {
                spec.commandLine().usage(out());
                if (type != null) {
                    out().print(ConfigHelp.of(type).orElseThrow(() -> bad(ConfigHelp.unknown(type))));
                }
                return 0;
            }
            if (type == null) {
                throw bad("--type is required: one of " + String.join(", ", ConfigHelp.types())
                        + " (blueprint create --type T --help lists its fields)");
            }
            if (name == null) {
                throw bad("--name is required: a name of lower-case letters, digits and '-'");
            }
            BlueprintInfo b = drydock().blueprints().create(name, type, config().orElse("{}"), limit, placement);
            out().println(json ? Output.json(Output.blueprint(b)) : "created blueprint " + b.name() + " (" + b.type() + ", limit " + b.limit()
                    + ", placement " + b.placement() + ")");
            return 0;
        }
    }

    /** The type names for --type's help. */
    static final class TypeNames implements Iterable<String> {
        @Override
        public java.util.Iterator<String> iterator() {
            return ConfigHelp.types().iterator();
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List blueprints.")
    static final class ListBlueprints extends Base {
        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            List<BlueprintInfo> all = drydock().blueprints().list();
            if (json) {
                out().println(Output.json(all.stream().map(Output::blueprint).toList()));
            } else {
                out().printf("%-20s %-12s %-10s %-8s %s%n", "NAME", "TYPE", "RESOURCES", "ENABLED", "RESOURCE TYPE");
                all.forEach(b -> out().printf("%-20s %-12s %-10s %-8s %s%n", b.name(), b.type(), b.resources() + "/" + b.limit(),
                        b.enabled() ? "yes" : "no", b.resourceType()));
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one blueprint.")
    static final class Show extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            BlueprintInfo b = drydock().blueprints().find(name).orElseThrow(() -> bad("no blueprint named '" + name + "'"));
            Map<String, Object> m = new LinkedHashMap<>(Output.blueprint(b));
            m.put("warmPools", drydock().blueprints().warmPools(name).stream().map(dev.drydock.server.Documents::warmPool).toList());
            out().println(Output.json(m));
            return 0;
        }
    }

    @Command(name = "warm-pool", mixinStandardHelpOptions = true,
            description = {"Keep idle, ready resources of a blueprint: idle, not total (a leased one does not count).",
                    "Warm builds are lowest priority: they never take a place in the limit that a waiting lease needs.",
                    "--min-ready 0 ends the pool (the resources it built and no lease used are retired)."})
    static final class WarmPool extends Base {
        @Parameters(paramLabel = "NAME", description = "the blueprint")
        String name;

        @Option(names = "--min-ready", required = true, paramLabel = "N", description = "idle, ready resources to keep (0 to 10000)")
        int minReady;

        @Option(names = "--max-ready-age", paramLabel = "DURATION", converter = dev.drydock.cli.Durations.class,
                description = "recycle a resource idle and ready this long, 1s or more (e.g. 1h)")
        java.time.Duration maxReadyAge;

        @Option(names = "--attr", paramLabel = "KEY=VALUE",
                description = "count only resources that meet these attributes, and build such (repeatable; one pool per set)")
        Map<String, String> attributes = Map.of();

        @Option(names = "--json", description = "print JSON")
        boolean json;

        @Override
        public Integer call() {
            dev.drydock.api.WarmPoolInfo p = drydock().blueprints().setWarmPool(name, attributes, minReady, Optional.ofNullable(maxReadyAge));
            if (json) {
                out().println(Output.json(dev.drydock.server.Documents.warmPool(p)));
            } else if (p.minReady() == 0 && p.maxReadyAge().isEmpty()) {
                out().println("blueprint " + name + (attributes.isEmpty() ? "" : " " + new java.util.TreeMap<>(attributes)) + ": no warm pool");
            } else {
                out().println("blueprint " + name + (attributes.isEmpty() ? "" : " " + new java.util.TreeMap<>(attributes)) + ": keep "
                        + p.minReady() + " idle and ready" + p.maxReadyAge().map(a -> ", each recycled after "
                        + dev.drydock.core.DurationText.format(a) + " idle").orElse(""));
            }
            return 0;
        }
    }

    @Command(name = "enable", mixinStandardHelpOptions = true, description = "Let a blueprint build resources again.")
    static final class Enable extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            drydock().blueprints().setEnabled(name, true);
            out().println("enabled " + name);
            return 0;
        }
    }

    @Command(name = "disable", mixinStandardHelpOptions = true, description = "Stop a blueprint building resources; existing ones carry on.")
    static final class Disable extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            drydock().blueprints().setEnabled(name, false);
            out().println("disabled " + name);
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true, description = "Change a blueprint's configuration, limit or placement.")
    static final class Update extends WithConfig {
        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--limit", description = "most resources at once")
        Integer limit;

        @Option(names = "--placement", paramLabel = "NAME", description = "binpack, spread, or a scorer the daemon registered")
        String placement;

        @Override
        public Integer call() {
            Optional<String> config = config();
            if (config.isEmpty() && limit == null && placement == null) {
                throw bad("nothing to update: give --config, --set, --limit or --placement");
            }
            if (config.isPresent() && configFile == null) {
                // --set alone changes single fields of the stored configuration
                ObjectMapper mapper = new ObjectMapper();
                try {
                    ObjectNode current = (ObjectNode) mapper.readTree(drydock().blueprints().find(name)
                            .orElseThrow(() -> bad("no blueprint named '" + name + "'")).config());
                    current.setAll((ObjectNode) mapper.readTree(config.get()));
                    config = Optional.of(current.toString());
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            }
            BlueprintInfo b = drydock().blueprints().update(name, config, Optional.ofNullable(limit), Optional.empty(), Optional.ofNullable(placement));
            out().println("updated " + b.name() + " (limit " + b.limit() + ", placement " + b.placement() + ")");
            return 0;
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true,
            description = "Delete a blueprint whose resources are all destroyed (refused while any is not); its name is free again.")
    static final class Delete extends Base {
        @Parameters(paramLabel = "NAME")
        String name;

        @Override
        public Integer call() {
            drydock().blueprints().delete(name);
            out().println("deleted blueprint " + name);
            return 0;
        }
    }
}
