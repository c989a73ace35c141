package dev.drydock.cli.commands;

import dev.drydock.api.Command;
import dev.drydock.api.CommandResult;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.cli.DemoSupport;
import dev.drydock.cli.Output;
import dev.drydock.taskqueue.Taskmaster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

@picocli.CommandLine.Command(name = "demo", mixinStandardHelpOptions = true, subcommands = SandcastleCommand.class,
        description = {"Lease a host end to end with no setup: database, taskmaster and blueprint are started for the run.",
                "'demo sandcastle' serves two commits of a git repository over HTTP at once (see its --help)."})
public final class DemoCommand extends Base {

    @Override
    public Integer call() throws Exception {
        DemoSteps steps = new DemoSteps(out());
        DemoSupport.useTemporaryDatabaseUnlessConfigured(session());
        steps.step("database ready (" + DemoSupport.describe(session()) + ")");
        Path root = Files.createTempDirectory("drydock-demo-hosts"); // 0700: the host is this user's alone
        try {
            run(steps, root);
        } finally {
            DemoCleanUp.deleteQuietly(root);
        }
        steps.step("done");
        return 0;
    }

    private void run(DemoSteps steps, Path root) {
        String blueprint = "demo-local-" + Long.toString(System.currentTimeMillis(), 36);
        drydock().blueprints().create(blueprint, "local-host", Output.json(Map.of("root", root.toString(), "capacity", 2, "keepIdle", false)), 2);
        steps.step("created blueprint " + blueprint + " (local-host under " + root + ")");
        DemoCleanUp cleanUp = new DemoCleanUp(drydock(), List.of(blueprint));
        try (Taskmaster taskmaster = drydock().taskmaster().threads(4).build().start()) {
            steps.step("taskmaster " + taskmaster.id() + " started in this process");
            Lease lease = drydock().allocator().acquire(LeaseRequest.builder("host").blueprint(blueprint).build());
            try {
                steps.step("requested lease " + lease.id() + " for a host");
                lease.await(Duration.ofSeconds(60));
                steps.step("lease " + lease.id() + " is ACTIVE on resource " + lease.info().resourceId().orElseThrow());
                CommandResult uname = lease.commandInterface().run(Command.of("uname", "-sr"));
                steps.step("ran `uname -sr` -> exit " + uname.exitCode() + ", output: " + uname.stdoutText().strip());
                lease.filesystemInterface().write("hello.txt", "hello from drydock\n".getBytes(StandardCharsets.UTF_8));
                String back = new String(lease.filesystemInterface().read("hello.txt"), StandardCharsets.UTF_8).strip();
                steps.step("wrote hello.txt and read it back: \"" + back + "\"");
            } catch (RuntimeException e) {
                cleanUp.runQuietly(List.of(lease));
                throw e;
            }
            cleanUp.run(List.of(lease));
            steps.step("released lease " + lease.id() + "; its directory and host destroyed, blueprint " + blueprint + " deleted");
        }
    }
}
