package dev.drydock.testing.ec2;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * An instance's console, base64 as EC2 sends it. Like EC2's it is empty until a while after boot
 * ({@link Ec2Timings#consoleDelay()}); a client that needs the host keys must poll for them.
 */
final class GetConsoleOutput implements Ec2Action {
    private final InstanceTable table;
    private final Ec2Faults faults;
    private final Ec2Timings timings;
    private final HostKeys foreignKeys;

    GetConsoleOutput(InstanceTable table, Ec2Faults faults, Ec2Timings timings, HostKeys foreignKeys) {
        this.table = table;
        this.faults = faults;
        this.timings = timings;
        this.foreignKeys = foreignKeys;
    }

    @Override
    public String name() {
        return "GetConsoleOutput";
    }

    @Override
    public void respond(QueryParams params, XmlWriter xml) {
        String id = params.required("InstanceId");
        Ids.requireInstanceId(id);
        FakeInstance instance = table.listed(id).orElseThrow(() -> Ec2Error.instanceNotFound(id));
        Instant now = Instant.now();
        xml.leaf("instanceId", id).leaf("timestamp", now);
        instance.runningSince()
                .filter(since -> !now.isBefore(since.plus(timings.consoleDelay())))
                .ifPresent(since -> {
                    HostKeys keys = faults.foreignHostKey() ? foreignKeys : instance.hostKeys().orElseThrow();
                    String text = ConsoleText.render(id, instance.address(), keys, since);
                    xml.leaf("output", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
                });
    }
}
