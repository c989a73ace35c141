package dev.drydock.benchmarks;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Console pages as a user's browser loads them: Debian's headless Chromium, signed in through the
 * login form, each page's load measured by the browser itself (the navigation entry's
 * {@code loadEventEnd}: request, HTML, stylesheet and script, parsing and layout). Absent when
 * Chromium or chromedriver is not installed.
 */
final class BrowserTiming implements AutoCloseable {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private final ChromeDriver driver;
    private final URI base;

    private BrowserTiming(ChromeDriver driver, URI base) {
        this.driver = driver;
        this.base = base;
    }

    static Optional<BrowserTiming> signedIn(URI base, String token) {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            return Optional.empty();
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--no-proxy-server",
                "--window-size=1280,1000");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        BrowserTiming browser = new BrowserTiming(new ChromeDriver(service, options), base);
        browser.driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30));
        browser.driver.get(base.resolve("/ui/login").toString());
        browser.driver.findElement(By.name("token")).sendKeys(token);
        browser.driver.findElement(By.cssSelector("form.login button")).click();
        return Optional.of(browser);
    }

    /** Loads {@code path} and returns its load time in microseconds, as the browser timed it. */
    long load(String path) {
        driver.get(base.resolve(path).toString());
        if (driver.getCurrentUrl().contains("/ui/login")) {
            throw new IllegalStateException(path + " sent the browser to the login page: the sign-in did not hold");
        }
        Object ms = ((JavascriptExecutor) driver).executeScript(
                "const n = performance.getEntriesByType('navigation')[0]; return n.loadEventEnd - n.startTime;");
        return Math.round(((Number) ms).doubleValue() * 1000);
    }

    @Override
    public void close() {
        driver.quit();
    }
}
