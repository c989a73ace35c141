package dev.drydock.cli;

import dev.drydock.api.spi.BlueprintImplementation;
import java.util.List;
import java.util.Optional;
import java.util.ServiceLoader;

/** The blueprint types on the classpath (the edge of the system finds them with ServiceLoader). */
public final class BlueprintTypes {
    private BlueprintTypes() {}

    @SuppressWarnings({"rawtypes", "unchecked"})
    public static List<BlueprintImplementation<?>> all() {
        List<BlueprintImplementation<?>> found = new java.util.ArrayList<>();
        ServiceLoader.load(BlueprintImplementation.class).forEach(found::add);
        found.sort(java.util.Comparator.comparing(BlueprintImplementation::type));
        return List.copyOf(found);
    }

    public static Optional<BlueprintImplementation<?>> find(String type) {
        return all().stream().filter(i -> i.type().equals(type)).findFirst();
    }
}
