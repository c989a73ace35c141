package dev.drydock.server;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.CommandResult;
import dev.drydock.api.DrydockException;
import dev.drydock.core.ApiToken;
import dev.drydock.core.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/leases/{id}/exec}: runs an argument vector (never a shell string) through the
 * lease's command interface, for its holder or an admin token, and streams its output back as it
 * comes ({@link ExecOutput}), then a last line {@code {"exit": N, "timedOut": B, "outputLimited": B,
 * "elapsedMs": N}}. Bounded by {@link UseLimits}: a timeout at most {@code maxExecTimeout}, and
 * output up to {@code maxExecOutput} bytes, past which the command and everything it started are
 * killed. Refusals (bad body, program not found, not the holder, lease not ACTIVE) come before
 * anything is sent, as JSON errors; a failure after output began is a last line
 * {@code {"exit": null, "error": "failed", "message": …}}.
 */
final class ExecRoute {
    private static final Logger log = LoggerFactory.getLogger(ExecRoute.class);
    private static final Set<String> FIELDS = Set.of("argv", "stdin", "timeout", "cwd", "env");
    private final LeaseUse use;
    private final UseLimits limits;

    ExecRoute(LeaseUse use, UseLimits limits) {
        this.use = use;
        this.limits = limits;
    }

    Route route() {
        return Route.withBody(HandlerType.POST, "/v1/leases/{id}/exec", TokenScope.LEASE,
                "Run a command through a lease (its holder or an admin token), its output streamed as NDJSON", this::exec);
    }

    private void exec(Context ctx, Optional<ApiToken> token) throws InterruptedException {
        long id = Query.pathId(ctx);
        Command command = command(Body.parse(ctx.body(), FIELDS));
        CommandInterface commands = use.open(id, CommandInterface.class, token.orElseThrow());
        // The command runs on a thread of its own so that stopping it (output cap, client gone) is
        // an interrupt, which kills it and everything it started, without touching the server's thread.
        AtomicReference<Thread> runner = new AtomicReference<>();
        ExecOutput output = new ExecOutput(ctx.res(), limits.maxExecOutput(), () -> runner.get().interrupt());
        ExecOutput.Sink stdout = output.sink("stdout");
        ExecOutput.Sink stderr = output.sink("stderr");
        AtomicReference<CommandResult> result = new AtomicReference<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        runner.set(Thread.ofVirtual().name("drydock-exec-lease-" + id).unstarted(() -> {
            try {
                result.set(commands.stream(command, stdout, stderr));
            } catch (RuntimeException e) {
                failure.set(e);
            }
        }));
        runner.get().start();
        try {
            runner.get().join();
        } catch (InterruptedException e) {
            runner.get().interrupt(); // the server stops: so does the command
            throw e;
        }
        if (failure.get() != null && !output.committed() && !output.limited()) {
            throw failure.get(); // nothing sent yet: answered as a JSON error (a program not found is a 400)
        }
        try {
            stdout.finish();
            stderr.finish();
            output.line(end(result.get(), failure.get(), output));
        } catch (IOException e) {
            log.debug("exec on lease {}: the client went before the end: {}", id, e.toString());
        }
    }

    private static Map<String, Object> end(CommandResult result, RuntimeException failure, ExecOutput output) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (result != null) {
            m.put("exit", result.exitCode());
            m.put("timedOut", result.timedOut());
            m.put("outputLimited", output.limited());
            m.put("elapsedMs", result.elapsed().toMillis());
        } else if (output.limited()) {
            m.put("exit", null);
            m.put("timedOut", false);
            m.put("outputLimited", true);
            m.put("message", "the output passed " + output.cap() + " bytes: the command and everything it started were killed");
        } else {
            m.put("exit", null);
            m.put("error", "failed");
            m.put("message", failure instanceof DrydockException ? failure.getMessage() : "the command failed unexpectedly; the server's log says why");
            if (!(failure instanceof DrydockException)) {
                log.error("exec failed unexpectedly after its output began", failure);
            }
        }
        return m;
    }

    /** The command a body asks for, checked against the limits before anything runs. */
    private Command command(Body body) {
        Command.Builder command = Command.builder(body.textList("argv"));
        body.text("stdin").ifPresent(command::stdin);
        body.text("cwd").ifPresent(command::workingDirectory);
        body.textMap("env").forEach(command::env);
        Duration timeout = body.duration("timeout").orElse(Command.DEFAULT_TIMEOUT.compareTo(limits.maxExecTimeout()) < 0
                ? Command.DEFAULT_TIMEOUT : limits.maxExecTimeout());
        if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(limits.maxExecTimeout()) > 0) {
            throw ApiError.badField("timeout", "'timeout' must be more than 0s and at most " + limits.maxExecTimeout().toSeconds() + "s"
                    + ", was " + body.text("timeout").orElse("")).raise();
        }
        return command.timeout(timeout).build();
    }
}
