package dev.drydock.blueprint.ec2;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.StandardRetryStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * One EC2 client per region, endpoint and credentials, shared by every step that uses them and
 * closed with the blueprint. The SDK retries transport failures only: throttling, capacity and quota
 * errors come straight back, because the blueprint answers each in its own way (back off, try the
 * next zone, pause), and an SDK retrying them would multiply the calls that caused them.
 */
final class Ec2Clients implements AutoCloseable {
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
    private final Map<Key, Ec2Client> clients = new ConcurrentHashMap<>();

    /** What tells clients apart; the credentials by reference, never by value. */
    private record Key(String region, String endpoint, String accessKeyId, String secretAccessKey) {}

    /** The client for {@code config}, resolving its credential references with {@code secrets} when it is first made. */
    Ec2Client of(Ec2HostConfig config, UnaryOperator<String> secrets) {
        Key key = new Key(config.region(), config.endpoint(), config.accessKeyId(), config.secretAccessKey());
        return clients.computeIfAbsent(key, k -> build(config, secrets));
    }

    private static Ec2Client build(Ec2HostConfig config, UnaryOperator<String> secrets) {
        AwsCredentialsProvider credentials = config.accessKeyId() == null ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(secrets.apply(config.accessKeyId()).strip(),
                        secrets.apply(config.secretAccessKey()).strip()));
        var builder = Ec2Client.builder()
                .region(Region.of(config.region()))
                .credentialsProvider(credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(10)).socketTimeout(CALL_TIMEOUT))
                .overrideConfiguration(ClientOverrideConfiguration.builder()
                        .retryStrategy(StandardRetryStrategy.builder().useClientDefaults(false)
                                .retryOnExceptionOrCauseInstanceOf(IOException.class).maxAttempts(3).build())
                        .apiCallTimeout(CALL_TIMEOUT.multipliedBy(2))
                        .build());
        if (config.endpoint() != null) {
            builder.endpointOverride(URI.create(config.endpoint()));
        }
        return builder.build();
    }

    @Override
    public void close() {
        clients.values().forEach(Ec2Client::close);
        clients.clear();
    }
}
