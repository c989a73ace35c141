package dev.drydock.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.Command;
import dev.drydock.api.CommandInterface;
import dev.drydock.api.InvalidRequestException;
import dev.drydock.api.Lease;
import dev.drydock.api.LeaseNotFoundException;
import dev.drydock.api.LeaseRequest;
import dev.drydock.api.LeaseStatus;
import dev.drydock.api.NotLeaseHolderException;
import dev.drydock.testing.Await;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * API tokens: a secret shown once and stored only as a hash, scopes that include one another, and
 * a lease acquired with a token used and released only through that token or an admin token — a
 * read token and another lease token can do neither, and nothing changes when they try.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ApiTokensTest {
    private static final AtomicInteger NAMES = new AtomicInteger();
    private static DrydockFixture fx;

    @BeforeAll
    static void setUp(TestDatabase db) throws Exception {
        fx = new DrydockFixture(db);
        fx.drydock.blueprints().create("local", "local-host", fx.config(4), 2);
    }

    @AfterAll
    static void tearDown() {
        fx.close();
    }

    @Test
    void aSecretIsShownOnceStoredAsAHashAndStopsWorkingWhenRevoked() {
        String name = name();
        ApiTokens.Created created = fx.drydock.apiTokens().create(name, TokenScope.READ);

        assertThat(created.secret()).startsWith("ddt_").hasSize(47);
        assertThat(created.toString()).doesNotContain(created.secret());
        assertThat(fx.db.queryLong("SELECT count(*) FROM dd_api_token WHERE secret_sha256 = sha256(convert_to('" + created.secret() + "', 'UTF8'))"))
                .as("only its SHA-256 is stored").isOne();
        assertThat(fx.db.queryLong("SELECT count(*) FROM dd_api_token WHERE encode(secret_sha256, 'escape') LIKE '%ddt_%'")).isZero();
        assertThat(fx.drydock.apiTokens().authenticate(created.secret())).contains(created.token());
        assertThat(fx.drydock.apiTokens().authenticate(created.secret() + "x")).isEmpty();
        assertThat(fx.drydock.apiTokens().authenticate("ddt_" + "A".repeat(43))).isEmpty();
        assertThat(fx.drydock.apiTokens().list()).contains(created.token());

        assertThatThrownBy(() -> fx.drydock.apiTokens().create(name, TokenScope.ADMIN)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("a token named '" + name + "' exists");
        assertThat(fx.drydock.apiTokens().revoke(name)).isTrue();
        assertThat(fx.drydock.apiTokens().revoke(name)).as("already revoked").isFalse();
        assertThat(fx.drydock.apiTokens().authenticate(created.secret())).isEmpty();
        assertThat(fx.drydock.apiTokens().create(name, TokenScope.LEASE).token().name()).as("a revoked token's name may be given again")
                .isEqualTo(name);
    }

    @Test
    void badNamesAreRefusedAndScopesIncludeTheOnesBelow() {
        assertThatThrownBy(() -> fx.drydock.apiTokens().create("Bad Name", TokenScope.READ)).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("lower-case letters");
        assertThat(TokenScope.ADMIN.includes(TokenScope.LEASE)).isTrue();
        assertThat(TokenScope.LEASE.includes(TokenScope.READ)).isTrue();
        assertThat(TokenScope.LEASE.includes(TokenScope.ADMIN)).isFalse();
        assertThat(TokenScope.READ.includes(TokenScope.LEASE)).isFalse();
        assertThat(TokenScope.parse("admin")).contains(TokenScope.ADMIN);
        assertThat(TokenScope.parse("root")).isEmpty();
    }

    @Test
    void onlyTheAcquiringTokenOrAnAdminTokenUsesOrReleasesALease() {
        ApiToken holder = fx.drydock.apiTokens().create(name(), TokenScope.LEASE).token();
        ApiToken other = fx.drydock.apiTokens().create(name(), TokenScope.LEASE).token();
        ApiToken reader = fx.drydock.apiTokens().create(name(), TokenScope.READ).token();
        ApiToken admin = fx.drydock.apiTokens().create(name(), TokenScope.ADMIN).token();

        assertThatThrownBy(() -> fx.drydock.apiTokens().acquire(request(), reader)).isInstanceOf(TokenScopeException.class)
                .hasMessage("token " + reader.name() + " has scope read: to acquire a lease it needs scope lease or admin");
        Lease lease = fx.drydock.apiTokens().acquire(request(), holder).await(Duration.ofSeconds(30));
        assertThat(fx.drydock.apiTokens().holderOf(lease.id())).contains(holder.id());

        for (ApiToken stranger : new ApiToken[] {other, reader}) {
            assertThatThrownBy(() -> fx.drydock.apiTokens().interfaceOf(lease.id(), CommandInterface.class, stranger))
                    .isInstanceOf(NotLeaseHolderException.class)
                    .hasMessage("lease " + lease.id() + " was not acquired with token " + stranger.name()
                            + ": only the token that acquired it, or an admin token, may use or release it");
            assertThatThrownBy(() -> fx.drydock.apiTokens().release(lease.id(), stranger)).isInstanceOf(NotLeaseHolderException.class);
        }
        assertThat(lease.info().status()).as("nothing changed").isEqualTo(LeaseStatus.ACTIVE);
        assertThat(fx.drydock.apiTokens().interfaceOf(lease.id(), CommandInterface.class, holder).run(Command.of("true")).exitCode()).isZero();
        assertThat(fx.drydock.apiTokens().interfaceOf(lease.id(), CommandInterface.class, admin).run(Command.of("true")).exitCode()).isZero();
        assertThatThrownBy(() -> fx.drydock.apiTokens().release(999_999_999L, admin)).isInstanceOf(LeaseNotFoundException.class);

        fx.drydock.apiTokens().release(lease.id(), admin);
        Await.until("released", Duration.ofSeconds(30), () -> lease.info().status().isDone());
        assertThat(fx.drydock.logs(Optional.of(lease.id()), Optional.empty(), Optional.empty(), 0, 100)).extracting(LogEntry::message)
                .anySatisfy(m -> assertThat(m).contains("opened by operator token " + admin.name()))
                .anySatisfy(m -> assertThat(m).contains("released by operator token " + admin.name()));
    }

    @Test
    void theHolderReleasesItsOwnLease() {
        ApiToken holder = fx.drydock.apiTokens().create(name(), TokenScope.LEASE).token();
        Lease lease = fx.drydock.apiTokens().acquire(request(), holder).await(Duration.ofSeconds(30));

        fx.drydock.apiTokens().release(lease.id(), holder);
        Await.until("released", Duration.ofSeconds(30), () -> lease.info().status().isDone());
        assertThat(lease.info().statusReason()).contains("released by its holder");
    }

    private static LeaseRequest request() {
        return LeaseRequest.builder("host").blueprint("local").build();
    }

    private static String name() {
        return "t-" + NAMES.incrementAndGet() + "-" + System.nanoTime() % 100_000;
    }
}
