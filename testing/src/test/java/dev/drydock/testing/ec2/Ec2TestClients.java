package dev.drydock.testing.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.drydock.testing.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;

/** The real SDK client as the blueprint will build it, and the few steps every fake EC2 test repeats. */
final class Ec2TestClients {
    static final String IMAGE = "ami-0123456789abcdef0";
    static final String SUBNET_A = "subnet-0aaaaaaaaaaaaaaaa";
    static final String SUBNET_B = "subnet-0bbbbbbbbbbbbbbbb";
    static final String ZONE_A = "us-east-1a";
    static final String ZONE_B = "us-east-1b";
    static final Duration WAIT = Duration.ofSeconds(20);

    private Ec2TestClients() {}

    /** Fast timings, one image, two subnets in two zones. */
    static FakeEc2 startedFake(FakeEc2.Builder builder) {
        FakeEc2 fake = builder.build();
        fake.start();
        return fake.image(IMAGE).subnet(SUBNET_A, ZONE_A).subnet(SUBNET_B, ZONE_B);
    }

    static FakeEc2.Builder fast() {
        return FakeEc2.builder()
                .bootDelay(Duration.ofMillis(50))
                .consoleDelay(Duration.ofMillis(100))
                .shutdownDelay(Duration.ofMillis(50))
                .terminatedListedFor(Duration.ofSeconds(1)); // long enough to be seen by a poll on a busy machine
    }

    // Retries off: a test must see the first error the fake returns, not the SDK's last attempt.
    static Ec2Client client(URI endpoint) {
        return Ec2Client.builder()
                .region(Region.US_EAST_1)
                .endpointOverride(endpoint)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDFAKEEC2TEST", "fake-secret")))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()))
                .build();
    }

    static RunInstancesRequest.Builder launch() {
        return RunInstancesRequest.builder().imageId(IMAGE).instanceType("t3.micro").minCount(1).maxCount(1).subnetId(SUBNET_A);
    }

    static Instance describe(Ec2Client ec2, String instanceId) {
        return ec2.describeInstances(r -> r.instanceIds(instanceId)).reservations().getFirst().instances().getFirst();
    }

    static Instance awaitState(Ec2Client ec2, String instanceId, InstanceStateName state) {
        Await.until(instanceId + " " + state, WAIT, () -> describe(ec2, instanceId).state().name() == state);
        return describe(ec2, instanceId);
    }

    /** The EC2 error a call fails with; fails the test if it succeeds or fails otherwise. */
    static Ec2Exception ec2Error(ThrowingCallable call) {
        Ec2Exception error = catchThrowableOfType(Ec2Exception.class, call);
        assertThat(error).as("the call should have failed with an EC2 error").isNotNull();
        return error;
    }

    static String errorCode(ThrowingCallable call) {
        return ec2Error(call).awsErrorDetails().errorCode();
    }

    /** Runs a command to its end; returns exit code and merged output. */
    record Result(int exitCode, String output) {}

    static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted: " + command, e);
        }
    }
}
