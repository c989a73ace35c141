package dev.drydock.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.Drydock;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The web console in a real Chromium, against a served Drydock with a taskmaster and local-host
 * blueprints: signing in (a wrong token is told so), a waiting lease explained and then seen going
 * ACTIVE without a reload, an admin disabling a blueprint, the logs page showing new entries as they
 * are written, a read token given no buttons and its posts refused, and user data shown as text.
 * Every page is saved as a screenshot under {@code target/console-screenshots/}.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
class ConsoleBrowserTest {
    private static ServedDrydock fx;
    private static Drydock drydock;
    private static TestDatabase db;
    private static Optional<Browser> started = Optional.empty();
    private static Browser browser;

    @BeforeAll
    static void start(TestDatabase database) {
        db = database;
        fx = new ServedDrydock(database);
        drydock = fx.drydock;
        started = Browser.start(fx.server.uri());
        browser = started.orElse(null);
    }

    @AfterAll
    static void stop() {
        try {
            started.ifPresent(Browser::close);
        } finally {
            fx.close();
        }
    }

    @BeforeEach
    void needsABrowser() {
        Browser.assumeAvailable();
    }

    @Test
    void pagesNeedASignInAndAWrongTokenIsToldSo() {
        browser.forgetCookies();
        browser.open("/ui/leases");
        assertThat(browser.path()).as("an unsigned visitor is sent to the sign-in").isEqualTo("/ui/login");
        browser.screenshot("login");

        assertThat(browser.signIn("ddt_" + "x".repeat(43))).isFalse();
        assertThat(browser.text("#problem")).contains("not valid");
        browser.screenshot("login-refused");

        assertThat(browser.signIn(fx.admin)).isTrue();
        assertThat(browser.text("header .who")).contains("admin");
        browser.find("header .who button").click();
        browser.open("/ui/blueprints");
        assertThat(browser.path()).as("signed out").isEqualTo("/ui/login");
    }

    @Test
    void aWaitingLeaseIsExplainedAndGoesActiveWithoutAReload() {
        drydock.blueprints().create("single", "local-host", fx.hostsConfig("single", 1), 1);
        long first = acquire("single", "");
        awaitStatus(first, "ACTIVE");
        long waiting = acquire("single", "");
        browser.signIn(fx.admin);

        browser.open("/ui/leases/" + waiting);
        browser.waitUntil("lease " + waiting + " says why it waits",
                d -> browser.text("#why").contains("waiting for room") && browser.text("#why").contains("limit of 1"));
        assertThat(browser.text("#lease-status")).isEqualTo("PENDING");
        browser.screenshot("lease-waiting");
        browser.open("/ui");
        assertThat(browser.text("#waiting")).contains("lease " + waiting);
        assertThat(browser.text("#count-PENDING")).isEqualTo("1");
        assertThat(browser.text("#count-ACTIVE")).isEqualTo("1");
        browser.screenshot("overview");
        browser.open("/ui/leases/" + waiting);
        browser.mark();

        fx.api.post(fx.leaser, "/v1/leases/" + first + "/release", "");
        browser.waitUntil("lease " + waiting + " shown ACTIVE", d -> browser.text("#lease-status").equals("ACTIVE"));
        assertThat(browser.sameDocument()).as("the page was not reloaded").isTrue();
        browser.waitUntil("its history shows the transition as it is written",
                d -> browser.text("table.log").contains("ACQUIRED -> ACTIVE"));
        browser.screenshot("lease");

        browser.open("/ui/leases?status=ACTIVE&blueprint=single");
        assertThat(browser.all("#leases a[href='/ui/leases/" + waiting + "']")).hasSize(1);
        assertThat(browser.all("#leases a[href='/ui/leases/" + first + "']")).as("released, so filtered out").isEmpty();
        browser.screenshot("leases");
        browser.open("/ui/leases/" + waiting);
        long resource = drydock.allocator().find(waiting).orElseThrow().resourceId().orElseThrow();
        browser.find("#lease-state a[href='/ui/resources/" + resource + "']").click();
        assertThat(browser.text("main")).contains("Leases on it").contains(Long.toString(waiting));
        browser.screenshot("resource");
        browser.open("/ui/resources?blueprint=single&status=ACTIVE");
        assertThat(browser.all("#resources a[href='/ui/resources/" + resource + "']")).hasSize(1);
        browser.screenshot("resources");
        browser.open("/ui/leases/" + waiting);
        browser.find("#release").click();
        browser.waitUntil("released by the admin", d -> browser.text("#lease-status").matches("RELEASED|DESTROYED"));
        awaitStatus(waiting, "DESTROYED");
    }

    @Test
    void userDataIsShownAsTextNeverRunAsMarkup() {
        drydock.blueprints().create("plain", "local-host", fx.hostsConfig("plain", 1), 1);
        String markup = "<img src=x onerror=window.drydockXss=1>";
        long refused = acquire("plain", ", \"attributes\": {\"note\": \"" + markup + "\"}");
        awaitStatus(refused, "DESTROYED"); // the blueprint declares no such attribute: broken, its reason quoting it
        browser.signIn(fx.reader);
        browser.open("/ui/leases/" + refused);
        assertThat(browser.text("#lease-state")).contains("note").contains(markup);
        assertThat(browser.text("#lease-reason")).contains(markup);
        browser.open("/ui/logs?lease=" + refused);
        assertThat(browser.text("table.log")).contains(markup);
        assertThat(browser.script("return window.drydockXss === undefined && document.querySelectorAll('main img').length === 0;"))
                .isEqualTo(true);
    }

    @Test
    void anAdminDisablesABlueprintFromTheBlueprintsPage() {
        drydock.blueprints().create("togglable", "local-host", fx.hostsConfig("togglable", 2), 2);
        browser.signIn(fx.admin);
        browser.open("/ui/blueprints");
        browser.find("#blueprint-togglable button.toggle").click();
        browser.waitUntil("shown disabled", d -> browser.text("#blueprint-togglable h2").contains("disabled"));
        assertThat(db.queryLong("SELECT count(*) FROM dd_blueprint WHERE name = 'togglable' AND NOT enabled")).isEqualTo(1);
        browser.screenshot("blueprints");
        browser.find("#blueprint-togglable button.toggle").click();
        browser.waitUntil("shown enabled again", d -> !browser.text("#blueprint-togglable h2").contains("disabled"));
    }

    @Test
    void theLogsPageShowsNewEntriesWithoutAReload() {
        drydock.blueprints().create("followed", "local-host", fx.hostsConfig("followed", 2), 1);
        browser.signIn(fx.reader);
        browser.open("/ui/logs");
        browser.mark();
        long id = acquire("followed", "");
        browser.waitUntil("lease " + id + "'s entries appear", d -> browser.text("table.log").contains("lease " + id)
                || browser.all("table.log a[href='/ui/leases/" + id + "']").size() > 0);
        assertThat(browser.sameDocument()).as("the page was not reloaded").isTrue();
        browser.screenshot("logs");
        fx.api.post(fx.leaser, "/v1/leases/" + id + "/release", "");
        awaitStatus(id, "DESTROYED");
    }

    @Test
    void aReadTokenSeesNoButtonsAndItsPostsAreRefused() {
        drydock.blueprints().create("guarded", "local-host", fx.hostsConfig("guarded", 2), 1);
        long id = acquire("guarded", "");
        awaitStatus(id, "ACTIVE");
        browser.signIn(fx.reader);
        browser.open("/ui/blueprints");
        assertThat(browser.all("#blueprint-guarded button")).isEmpty();
        browser.open("/ui/leases/" + id);
        assertThat(browser.all("#release")).isEmpty();

        Object blueprintStatus = browser.script("return fetch('/ui/blueprints/guarded/disable', {method: 'POST'}).then(r => r.status);");
        Object releaseStatus = browser.script("return fetch('/ui/leases/" + id + "/release', {method: 'POST'}).then(r => r.status);");
        assertThat(blueprintStatus).isEqualTo(403L);
        assertThat(releaseStatus).isEqualTo(403L);
        assertThat(db.queryLong("SELECT count(*) FROM dd_blueprint WHERE name = 'guarded' AND enabled")).isEqualTo(1);
        assertThat(drydock.allocator().find(id).orElseThrow().status().name()).isEqualTo("ACTIVE");
        fx.api.post(fx.leaser, "/v1/leases/" + id + "/release", "");
        awaitStatus(id, "DESTROYED");
    }

    /** Requests a lease of a local host from {@code blueprint} with the lease token; {@code more} adds fields to the body. */
    private static long acquire(String blueprint, String more) {
        ApiClient.Answer answer = fx.api.post(fx.leaser, "/v1/leases", "{\"type\": \"host\", \"blueprints\": [\"" + blueprint + "\"]" + more + "}");
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(201);
        return answer.json().path("id").asLong();
    }

    private static void awaitStatus(long id, String status) {
        String seen = "";
        for (int i = 0; i < 10 && !seen.equals(status); i++) {
            seen = fx.api.get(fx.reader, "/v1/leases/" + id + (seen.isEmpty() ? "" : "?wait=30s&seen=" + seen)).json().path("status").asText();
        }
        assertThat(seen).as("lease " + id).isEqualTo(status);
    }
}
