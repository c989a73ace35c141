package dev.drydock.testing.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * One DescribeInstances filter: an instance matches when any of its values for the name matches any
 * filter value, and a request's filters all must match. Values may use EC2's wildcards {@code *} and
 * {@code ?}. Names the fake does not know are refused as EC2 refuses them, rather than ignored.
 */
record InstanceFilter(String name, List<Pattern> values) {
    private static final Map<String, Function<FakeInstance, List<String>>> ATTRIBUTES = Map.ofEntries(
            Map.entry("instance-id", i -> List.of(i.id())),
            Map.entry("instance-state-name", i -> List.of(i.state().apiName())),
            Map.entry("instance-state-code", i -> List.of(Integer.toString(i.state().code()))),
            Map.entry("client-token", i -> List.of(i.reservation().clientToken())),
            Map.entry("reservation-id", i -> List.of(i.reservation().id())),
            Map.entry("availability-zone", i -> List.of(i.zone())),
            Map.entry("instance-type", i -> List.of(i.spec().instanceType())),
            Map.entry("image-id", i -> List.of(i.spec().imageId())),
            Map.entry("subnet-id", i -> List.of(i.spec().subnetId())),
            Map.entry("key-name", i -> List.of(i.spec().keyName())),
            Map.entry("private-ip-address", i -> List.of(i.address())),
            Map.entry("instance-lifecycle", i -> i.spec().spot() ? List.of("spot") : List.of()),
            Map.entry("tag-key", i -> List.copyOf(i.tags().keySet())),
            Map.entry("tag-value", i -> List.copyOf(i.tags().values())));

    static List<InstanceFilter> parse(QueryParams params) {
        List<InstanceFilter> filters = new ArrayList<>();
        for (QueryParams filter : params.structures("Filter")) {
            String name = filter.required("Name");
            if (!name.startsWith("tag:") && !ATTRIBUTES.containsKey(name)) {
                throw Ec2Error.client("InvalidParameterValue", "The filter '" + name + "' is invalid");
            }
            filters.add(new InstanceFilter(name, filter.list("Value").stream().map(InstanceFilter::glob).toList()));
        }
        return filters;
    }

    boolean matches(FakeInstance instance) {
        return valuesOf(instance).stream().anyMatch(value -> values.stream().anyMatch(p -> p.matcher(value).matches()));
    }

    private List<String> valuesOf(FakeInstance instance) {
        if (name.startsWith("tag:")) {
            String value = instance.tags().get(name.substring("tag:".length()));
            return value == null ? List.of() : List.of(value);
        }
        return ATTRIBUTES.get(name).apply(instance);
    }

    private static Pattern glob(String value) {
        StringBuilder regex = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
