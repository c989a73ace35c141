package dev.drydock.testing.ec2;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The serial console of a booted instance, shaped like an Amazon Linux or Ubuntu boot with cloud-init:
 * kernel lines, the host key fingerprints logged through syslog ({@code <14>... ec2: } prefixes) and the
 * bare host key block. Lines end in CRLF as a serial console's do, so a parser must not assume LF.
 * The keys keep the comments they were made with where cloud-init would print {@code root@HOSTNAME}:
 * a reader must go by the key material, not the comment.
 */
final class ConsoleText {
    private static final DateTimeFormatter SYSLOG =
            DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String RULE = "#############################################################";

    private ConsoleText() {}

    static String render(String instanceId, String address, HostKeys keys, Instant bootedAt) {
        String hostname = "ip-" + address.replace('.', '-');
        String syslog = "<14>" + SYSLOG.format(bootedAt) + " ec2: ";
        StringBuilder text = new StringBuilder();
        line(text, "[    0.000000] Linux version 6.1.0-drydock (fake-ec2@drydock) #1 SMP PREEMPT_DYNAMIC");
        line(text, "[    0.000000] Command line: BOOT_IMAGE=/boot/vmlinuz root=/dev/xvda1 console=ttyS0");
        line(text, "[    1.204512] Run /sbin/init as init process");
        line(text, "[    4.871023] cloud-init[812]: Cloud-init v. 23.4 running 'init' for instance " + instanceId);
        line(text, "[    5.002117] cloud-init[812]: ci-info: no authorized SSH keys fingerprints found for user root.");
        line(text, syslog);
        line(text, syslog + RULE);
        line(text, syslog + "-----BEGIN SSH HOST KEY FINGERPRINTS-----");
        line(text, syslog + keys.fingerprintLine());
        line(text, syslog + "-----END SSH HOST KEY FINGERPRINTS-----");
        line(text, syslog + RULE);
        line(text, "-----BEGIN SSH HOST KEY KEYS-----");
        line(text, keys.publicKey());
        line(text, "-----END SSH HOST KEY KEYS-----");
        line(text, "[    5.390288] cloud-init[1020]: Cloud-init v. 23.4 finished. Datasource DataSourceEc2.  Up 5.39 seconds");
        line(text, hostname + " login: ");
        return text.toString();
    }

    private static void line(StringBuilder text, String line) {
        text.append(line).append("\r\n");
    }
}
