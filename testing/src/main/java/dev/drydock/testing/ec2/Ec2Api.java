package dev.drydock.testing.ec2;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one Query request: throttling first (EC2 throttles before it looks at a request), then the
 * action under the instance table's lock, then the call log. Every answer is a response document or an
 * EC2 error document; nothing the fake does wrong reaches the client as anything but InternalError.
 */
final class Ec2Api {
    static final String NAMESPACE = "http://ec2.amazonaws.com/doc/2016-11-15/";
    private static final Logger log = LoggerFactory.getLogger(Ec2Api.class);

    /** An HTTP answer: status, the request id (also in the body) and the XML body. */
    record Reply(int status, String requestId, String body) {}

    private final Map<String, Ec2Action> actions;
    private final InstanceTable table;
    private final Ec2Faults faults;
    private final CallLog calls;

    Ec2Api(List<Ec2Action> actions, InstanceTable table, Ec2Faults faults, CallLog calls) {
        this.actions = actions.stream().collect(Collectors.toUnmodifiableMap(Ec2Action::name, Function.identity()));
        this.table = table;
        this.faults = faults;
        this.calls = calls;
    }

    Reply handle(QueryParams params) {
        String requestId = Ids.request();
        String action = params.optional("Action").orElse("");
        try {
            String name = params.action();
            if (faults.takeThrottle(name)) {
                throw Ec2Error.throttled();
            }
            Ec2Action handler = Optional.ofNullable(actions.get(name)).orElseThrow(() ->
                    Ec2Error.client("InvalidAction", "The action " + name + " is not valid for this web service."));
            if (params.flag("DryRun")) {
                throw Ec2Error.dryRun();
            }
            XmlWriter xml = new XmlWriter().start(name + "Response", NAMESPACE).leaf("requestId", requestId);
            table.locked(() -> handler.respond(params, xml));
            String body = xml.end().finish();
            calls.record(action, params, Ec2Call.OK);
            if (handler instanceof RunInstances) {
                faults.holdLaunchAnswer(); // the launch is done and logged; only its answer waits
            }
            return new Reply(200, requestId, body);
        } catch (Ec2Error e) {
            calls.record(action, params, e.code());
            return error(e, requestId);
        } catch (RuntimeException e) {
            log.error("Fake EC2 failed on {}; the client gets InternalError", action, e);
            Ec2Error internal = Ec2Error.internal("The fake EC2 failed: " + e);
            calls.record(action, params, internal.code());
            return error(internal, requestId);
        }
    }

    private static Reply error(Ec2Error error, String requestId) {
        String body = new XmlWriter().start("Response")
                .start("Errors").start("Error").leaf("Code", error.code()).leaf("Message", error.getMessage()).end().end()
                .leaf("RequestID", requestId)
                .end().finish();
        return new Reply(error.status(), requestId, body);
    }
}
