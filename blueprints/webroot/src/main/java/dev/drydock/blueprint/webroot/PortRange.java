package dev.drydock.blueprint.webroot;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * The ports a web root's servers may listen on, {@code FIRST-LAST} inclusive, unprivileged
 * (1024 to 65535), so no server ever needs root to bind its port.
 */
record PortRange(int first, int last) {
    private static final Pattern RANGE = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    static Optional<PortRange> parse(String text) {
        Matcher m = RANGE.matcher(text == null ? "" : text.strip());
        if (!m.matches()) {
            return Optional.empty();
        }
        int first = Integer.parseInt(m.group(1));
        int last = m.group(2) == null ? first : Integer.parseInt(m.group(2));
        return first >= 1024 && last <= 65535 && first <= last ? Optional.of(new PortRange(first, last)) : Optional.empty();
    }

    /** The ports as lease slots, lowest first. */
    List<String> slots() {
        return IntStream.rangeClosed(first, last).mapToObj(Integer::toString).toList();
    }

    int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
