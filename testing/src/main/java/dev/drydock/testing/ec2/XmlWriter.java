package dev.drydock.testing.ec2;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/** Writes an XML document element by element, escaping text, and refuses to finish one left open. */
final class XmlWriter {
    private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    XmlWriter start(String name, String namespace) {
        out.append('<').append(name).append(" xmlns=\"").append(escape(namespace)).append("\">");
        open.push(name);
        return this;
    }

    XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    XmlWriter leaf(String name, String text) {
        out.append('<').append(name).append('>').append(escape(text)).append("</").append(name).append('>');
        return this;
    }

    XmlWriter leaf(String name, long number) {
        return leaf(name, Long.toString(number));
    }

    XmlWriter leaf(String name, boolean value) {
        return leaf(name, Boolean.toString(value));
    }

    /** EC2 writes timestamps as ISO 8601 in UTC with milliseconds. */
    XmlWriter leaf(String name, Instant time) {
        return leaf(name, time.truncatedTo(ChronoUnit.MILLIS).toString());
    }

    XmlWriter empty(String name) {
        out.append('<').append(name).append("/>");
        return this;
    }

    String finish() {
        if (!open.isEmpty()) {
            throw new IllegalStateException("XML elements left open: " + open);
        }
        return out.toString();
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '&' -> escaped.append("&amp;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&apos;");
                default -> escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
