package dev.drydock.cli.commands;

import dev.drydock.api.DrydockException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseRequest;
import dev.drydock.cli.DemoHttp;
import dev.drydock.cli.DemoRepository;
import dev.drydock.cli.DemoSupport;
import dev.drydock.cli.Output;
import dev.drydock.taskqueue.Taskmaster;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

@picocli.CommandLine.Command(name = "sandcastle", mixinStandardHelpOptions = true,
        description = {"Serve two commits of a git repository over HTTP at once, with no setup: a repository with two commits"
                + " is made in a private temporary directory, and a local host, a working copy of the repository and a web root"
                + " (nginx, else busybox httpd, else python3) serve a checkout of each commit at a URI of its own until released.",
                "Exits 0 when both were served, each its own commit's page, and everything was cleaned up; 1 if not."})
public final class SandcastleCommand extends Base {
    private static final Duration SERVE_WAIT = Duration.ofSeconds(120);

    @Override
    public Integer call() throws IOException {
        DemoSteps steps = new DemoSteps(out());
        DemoSupport.useTemporaryDatabaseUnlessConfigured(session());
        drydock(); // migrates the schema: part of getting the database ready
        steps.step("database ready (" + DemoSupport.describe(session()) + ")");
        Path dir = Files.createTempDirectory("drydock-sandcastle"); // 0700: the repository and the host are this user's alone
        try {
            run(steps, dir);
        } finally {
            DemoCleanUp.deleteQuietly(dir);
        }
        steps.step("done");
        return 0;
    }

    private void run(DemoSteps steps, Path dir) throws IOException {
        DemoRepository repo = new DemoRepository(Files.createDirectory(dir.resolve("site")), 2);
        steps.step("made git repository " + repo.url() + " with two commits of index.html: v1 " + abbreviated(repo.commit(1))
                + " \"version 1\", v2 " + abbreviated(repo.commit(2)) + " \"version 2\"");
        SandcastleBlueprints blueprints = SandcastleBlueprints.create(drydock(), Files.createDirectory(dir.resolve("hosts")), repo.url(),
                DemoHttp.freePorts(2));
        steps.step("created blueprints " + blueprints.describe());
        try (Taskmaster taskmaster = drydock().taskmaster().threads(8).build().start()) {
            steps.step("taskmaster " + taskmaster.id() + " started in this process");
            List<Lease> leases = new ArrayList<>();
            try {
                serveBoth(steps, repo, blueprints, leases);
            } catch (RuntimeException e) {
                blueprints.cleanUpQuietly(leases);
                throw e;
            }
            blueprints.cleanUp(leases);
            steps.step("released both leases; servers stopped, web root, checkouts, clone and host destroyed, blueprints deleted");
        }
    }

    private void serveBoth(DemoSteps steps, DemoRepository repo, SandcastleBlueprints blueprints, List<Lease> leases) {
        for (int v = 1; v <= 2; v++) {
            leases.add(drydock().allocator().acquire(LeaseRequest.builder("webroot").blueprint(blueprints.webroot())
                    .attribute("repository", repo.url()).attribute("ref", DemoRepository.tag(v)).build()));
        }
        steps.step("requested web roots of v1 (lease " + leases.get(0).id() + ") and v2 (lease " + leases.get(1).id() + ") at once");
        List<String> pages = new ArrayList<>();
        for (int v = 1; v <= 2; v++) {
            Lease lease = leases.get(v - 1).await(SERVE_WAIT);
            Map<String, String> attributes = lease.info().leaseAttributes();
            URI uri = lease.httpdInterface().uri();
            steps.step("lease " + lease.id() + " ACTIVE: v" + v + " (" + abbreviated(attributes.getOrDefault("commit", "?"))
                    + ") serving at " + uri + " with " + attributes.getOrDefault("server", "?"));
            pages.add(DemoHttp.get(uri));
            steps.step("GET " + uri + " -> " + Output.json(pages.get(v - 1)).strip());
        }
        if (!pages.equals(List.of(DemoRepository.indexOf(1), DemoRepository.indexOf(2)))) {
            throw new DrydockException("the two web roots did not serve each its own commit: v1 served " + Output.json(pages.get(0))
                    + ", v2 " + Output.json(pages.get(1)));
        }
        steps.step("two commits served side by side, each at its own URI");
    }

    private static String abbreviated(String commit) {
        return commit.length() > 10 ? commit.substring(0, 10) : commit;
    }
}
