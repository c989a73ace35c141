package dev.drydock.blueprint.ec2;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SSH host key fingerprints an instance's console output prints (cloud-init writes them between
 * {@code -----BEGIN SSH HOST KEY FINGERPRINTS-----} and its END line, as {@code ssh-keygen -l}
 * does: {@code 256 SHA256:… comment (ED25519)}). The console is a channel the instance cannot
 * forge over the network, so these are the keys to trust before first contact.
 */
final class ConsoleHostKeys {
    private static final String BEGIN = "-----BEGIN SSH HOST KEY FINGERPRINTS-----";
    private static final String END = "-----END SSH HOST KEY FINGERPRINTS-----";
    private static final Pattern FINGERPRINT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    private ConsoleHostKeys() {}

    /** The {@code SHA256:} fingerprints of the last block in {@code console}, in its order; empty if there is none yet. */
    static List<String> fingerprints(String console) {
        int end = console.lastIndexOf(END);
        int begin = end < 0 ? -1 : console.lastIndexOf(BEGIN, end);
        if (begin < 0) {
            return List.of();
        }
        List<String> found = new ArrayList<>();
        Matcher m = FINGERPRINT.matcher(console.substring(begin + BEGIN.length(), end));
        while (m.find()) {
            found.add(m.group());
        }
        return List.copyOf(found);
    }
}
