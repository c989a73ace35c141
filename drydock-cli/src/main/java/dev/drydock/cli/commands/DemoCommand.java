package dev.drydock.cli.commands;

import dev.drydock.api.Command;
import dev.drydock.api.CommandResult;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseInfo;
import dev.drydock.cli.DemoSupport;
import dev.drydock.taskqueue.Taskmaster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

@picocli.CommandLine.Command(name = "demo", mixinStandardHelpOptions = true, subcommands = SandcastleCommand.class,
        description = {"Lease a host end to end with no setup: database, taskmaster and blueprint are started for the run.",
                "'demo sandcastle' serves two commits of a git repository over HTTP at once (see its --help)."})
public final class DemoCommand extends Base {

    @Override
    public Integer call() throws Exception {
        DemoSteps steps = new DemoSteps(out());
        DemoSupport.useTemporaryDatabaseUnlessConfigured(session());
        steps.step("database ready (" + DemoSupport.describe(session()) + ")");
        Path root = Files.createTempDirectory("drydock-demo-hosts");
        String blueprint = "demo-local-" + Long.toString(System.currentTimeMillis(), 36);
        drydock().blueprints().create(blueprint, "local-host", "{\"root\": \"" + root + "\", \"capacity\": 2}", 2);
        steps.step("created blueprint " + blueprint + " (local-host under " + root + ")");
        try (Taskmaster taskmaster = drydock().taskmaster().threads(4).build().start()) {
            steps.step("taskmaster " + taskmaster.id() + " started in this process");
            Lease lease = drydock().allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build());
            steps.step("requested lease " + lease.id() + " for a host");
            lease.await(Duration.ofSeconds(60));
            steps.step("lease " + lease.id() + " is ACTIVE on resource " + lease.info().resourceId().orElseThrow());
            CommandResult uname = lease.commandInterface().run(Command.of("uname", "-sr"));
            steps.step("ran `uname -sr` -> exit " + uname.exitCode() + ", output: " + uname.stdoutText().strip());
            lease.filesystemInterface().write("hello.txt", "hello from drydock\n".getBytes(StandardCharsets.UTF_8));
            String back = new String(lease.filesystemInterface().read("hello.txt"), StandardCharsets.UTF_8).strip();
            steps.step("wrote hello.txt and read it back: \"" + back + "\"");
            lease.release();
            LeaseInfo ended = lease.awaitEnded(Duration.ofSeconds(30)); // the taskmaster cleans up within milliseconds
            steps.step("released lease " + lease.id() + " (" + ended.status() + "); its directory is gone, the host slot kept for reuse");
        }
        steps.step("done");
        return 0;
    }
}
