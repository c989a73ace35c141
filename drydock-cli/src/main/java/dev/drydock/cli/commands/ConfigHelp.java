package dev.drydock.cli.commands;

import dev.drydock.api.spi.BlueprintImplementation;
import dev.drydock.api.spi.ConfigField;
import dev.drydock.cli.BlueprintTypes;
import java.util.List;
import java.util.Optional;

/** A blueprint type's configuration fields as help text, read from the type itself. */
final class ConfigHelp {
    private ConfigHelp() {}

    static List<String> types() {
        return BlueprintTypes.all().stream().map(BlueprintImplementation::type).toList();
    }

    static String unknown(String type) {
        return "unknown blueprint type '" + type + "'; known types: " + String.join(", ", types());
    }

    static Optional<String> of(String type) {
        return BlueprintTypes.find(type).map(impl -> {
            StringBuilder text = new StringBuilder("%nConfiguration of %s (builds %s resources), set with --set FIELD=VALUE or --config FILE:%n"
                    .formatted(impl.type(), impl.resourceType()));
            List<ConfigField> fields = impl.configFields();
            int width = fields.stream().mapToInt(f -> f.name().length()).max().orElse(0);
            for (ConfigField f : fields) {
                text.append("  ").append(f.name()).append(" ".repeat(width - f.name().length() + 2))
                        .append('(').append(f.kind()).append(") ").append(f.description()).append(System.lineSeparator());
            }
            if (fields.isEmpty()) {
                text.append("  (this type lists no fields)").append(System.lineSeparator());
            }
            return text.toString();
        });
    }
}
