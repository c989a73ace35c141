package dev.drydock.examples;

/** JSON text for the configurations the examples build from environment variables, without a JSON library. */
final class Json {
    private Json() {}

    /** {@code text} as a JSON string, quoted and escaped. */
    static String string(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
