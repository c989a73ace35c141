package dev.drydock.cli.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/** Configuration text from {@code --config FILE|-} and values from {@code --set KEY=VALUE}. */
final class ConfigFile {
    private static final JsonMapper STRICT = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ConfigFile() {}

    /** The file's text; a file that cannot be read is bad input, named with the reason. */
    static String read(String file, Function<String, ? extends RuntimeException> bad) {
        if (file.equals("-")) {
            try {
                return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw bad.apply("--config -: cannot read standard input");
            }
        }
        Path path = Path.of(file);
        if (Files.isDirectory(path)) {
            throw bad.apply("--config " + file + " is a directory: give a JSON file, or - for standard input");
        }
        try {
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw bad.apply("--config: there is no file " + file + " (give a JSON file, or - for standard input)");
        } catch (AccessDeniedException e) {
            throw bad.apply("--config: permission denied reading " + file);
        } catch (IOException | RuntimeException e) {
            throw bad.apply("--config: cannot read " + file + " as UTF-8 text");
        }
    }

    /** The text as a JSON object, if it is exactly one with each field once. */
    static Optional<ObjectNode> object(String text) {
        try {
            JsonNode node = STRICT.readTree(text);
            return node instanceof ObjectNode object ? Optional.of(object) : Optional.empty();
        } catch (JsonProcessingException e) {
            return Optional.empty();
        }
    }

    /** A {@code --set} value: JSON when it is a JSON value ({@code 2}, {@code true}, {@code [..]}), else the text itself. */
    static JsonNode value(String text) {
        if (text.isBlank()) {
            return TextNode.valueOf(text);
        }
        try {
            JsonNode node = STRICT.readTree(text);
            return node == null || node.isMissingNode() ? TextNode.valueOf(text) : node;
        } catch (JsonProcessingException e) {
            return TextNode.valueOf(text);
        }
    }
}
