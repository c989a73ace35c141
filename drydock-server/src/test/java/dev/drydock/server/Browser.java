package dev.drydock.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedCondition;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real headless Chromium driven through Debian's chromedriver, for the console's tests. Where
 * either is missing a test is skipped saying what to install, or fails under {@code CI=true}
 * ({@code .ci/run} installs both). Screenshots go to {@code target/console-screenshots/}.
 */
final class Browser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SCREENSHOTS = Path.of("target", "console-screenshots");
    /** The longest a condition on the page is waited for; a wait ends as soon as it holds. */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    final WebDriver driver;
    private final URI base;

    private Browser(WebDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    /** Empty when Chromium and chromedriver are here, else what to install. */
    static Optional<String> unavailableReason() {
        List<String> missing = new ArrayList<>();
        if (!Files.isExecutable(CHROMIUM)) {
            missing.add("chromium (" + CHROMIUM + ")");
        }
        if (!Files.isExecutable(CHROMEDRIVER)) {
            missing.add("chromium-driver (" + CHROMEDRIVER + ")");
        }
        return missing.isEmpty() ? Optional.empty()
                : Optional.of("missing " + String.join(" and ", missing) + "; install with: apt-get install chromium chromium-driver");
    }

    /** Skips the test (fails it under CI=true) when there is no browser to drive. */
    static void assumeAvailable() {
        unavailableReason().ifPresent(problem -> {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("no browser for the console tests: " + problem + "; CI=true, so this fails instead of skipping");
            }
            Assumptions.abort("no browser for the console tests: " + problem);
        });
    }

    /** A browser for pages of {@code base}; empty when there is none (see {@link #assumeAvailable}). */
    static Optional<Browser> start(URI base) {
        if (unavailableReason().isPresent()) {
            return Optional.empty();
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        // --no-sandbox: the tests run as root, where Chromium's sandbox refuses to start;
        // --no-proxy-server: the server is on 127.0.0.1, never behind the machine's proxy
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-proxy-server",
                "--window-size=1280,1000", "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build();
        return Optional.of(new Browser(new ChromeDriver(service, options), base));
    }

    /** Signs out by forgetting the console's cookie, as a new browser would have none. */
    void forgetCookies() {
        open("/ui/login");
        driver.manage().deleteAllCookies();
    }

    void open(String path) {
        driver.get(base.resolve(path).toString());
    }

    String path() {
        return URI.create(driver.getCurrentUrl()).getPath();
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> all(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    String text(String css) {
        return find(css).getText();
    }

    Object script(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** Marks the loaded page; {@link #sameDocument} is true only while it has not been reloaded or left. */
    void mark() {
        script("window.drydockTestMark = true;");
    }

    boolean sameDocument() {
        return Boolean.TRUE.equals(script("return window.drydockTestMark === true;"));
    }

    /** Waits until {@code condition} holds (at most a minute), failing with {@code what} if it never does. */
    void waitUntil(String what, ExpectedCondition<?> condition) {
        try {
            // the live parts replace elements while a condition reads them: look again
            new WebDriverWait(driver, PATIENCE).ignoring(org.openqa.selenium.NoSuchElementException.class)
                    .ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(condition);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot("failed");
            throw new AssertionError("the page never showed that " + what + "; it is " + driver.getCurrentUrl() + " and says:\n"
                    + driver.findElement(By.tagName("body")).getText(), e);
        }
    }

    /** Signs in through the form; true when it took the token (the overview opened). */
    boolean signIn(String secret) {
        open("/ui/login");
        find("#token").sendKeys(secret);
        find("form.login button").click();
        waitUntil("the sign-in form answered", d -> !all("#problem").isEmpty() || path().equals("/ui"));
        return path().equals("/ui");
    }

    void screenshot(String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            Path shot = ((org.openqa.selenium.TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        driver.quit();
    }
}
