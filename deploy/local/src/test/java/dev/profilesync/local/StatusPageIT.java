package dev.profilesync.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import dev.profilesync.events.CloudEventHeaders;
import dev.profilesync.events.Topics;

/**
 * The live status page in a real browser (headless Chromium through ChromeDriver): while the applier is stopped and
 * changes keep coming, the page's delay rises; once it runs again, it falls back. Dead letters show with their reason
 * and the replay button works with an operator's token. Screenshots go to {@code target/status-page*.png}.
 */
class StatusPageIT {

    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path CHROMEDRIVER = Path.of(System.getenv().getOrDefault("CHROMEDRIVER",
            "/usr/bin/chromedriver"));
    private static final Duration PATIENCE = Duration.ofSeconds(60);

    @TempDir
    static Path dataDir;

    static LocalSystem system;
    static ProfileSyncClient client;
    static WebDriver browser;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            if ("true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("Chromium and ChromeDriver are missing; .ci/run installs them");
            }
            Assumptions.abort("Chromium or ChromeDriver is not installed (apt-get install chromium chromium-driver)");
        }
        system = LocalSystem.start(FreePorts.settings(dataDir, null).withSimulator(100, 0));
        client = new ProfileSyncClient(system.settings());
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1100");
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theDelayRisesWhileTheApplierIsStoppedAndFallsWhenItRunsAgain() throws Exception {
        browser.get("http://127.0.0.1:" + system.settings().monitorPort() + "/status");
        await().atMost(PATIENCE).until(() -> delayOnPage() >= 0 && delayOnPage() < 1);
        assertThat(browser.findElement(By.id("headline")).getText()).startsWith("Profiles are");
        await().atMost(PATIENCE).until(() -> browser.findElement(By.id("directory")).getText().contains("active"));

        system.stopApplier();
        for (int i = 0; i < 5; i++) {
            String user = UUID.randomUUID().toString();
            assertThat(client.post("""
                    {"source":"hr-system","changes":[{"userId":"%s","fields":{"jobTitle":"Waiting %d"}}]}
                    """.formatted(user, i)).statusCode()).isEqualTo(202);
        }
        await().atMost(PATIENCE).until(() -> delayOnPage() > 4);
        assertThat(browser.findElement(By.id("headline")).getText()).startsWith("Profiles are").contains("behind");
        assertThat(browser.findElement(By.id("headline")).getAttribute("class")).isIn("warn", "bad");
        await().atMost(PATIENCE).until(() -> !browser.findElements(By.cssSelector("path[data-series='p99']"))
                .isEmpty());
        screenshot("status-page-behind.png");

        system.startApplier();
        await().atMost(PATIENCE).until(() -> delayOnPage() >= 0 && delayOnPage() < 1);
        assertThat(browser.findElement(By.id("headline")).getAttribute("class")).isEqualTo("ok");
        screenshot("status-page.png");
    }

    @Test
    void deadLettersShowWithTheirReasonAndAnOperatorCanReplayThem() throws Exception {
        String user = UUID.randomUUID().toString();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.settings().bootstrapServers());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props, new StringSerializer(),
                new StringSerializer())) {
            ProducerRecord<String, String> record = new ProducerRecord<>(Topics.USER_CHANGES, user, "{}");
            record.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8))
                    .add(CloudEventHeaders.ID, ("poison-" + user).getBytes(StandardCharsets.UTF_8))
                    .add(CloudEventHeaders.SOURCE, "hr-system".getBytes(StandardCharsets.UTF_8))
                    .add(CloudEventHeaders.SUBJECT, user.getBytes(StandardCharsets.UTF_8))
                    .add(CloudEventHeaders.TIME, java.time.Instant.now().toString().getBytes(StandardCharsets.UTF_8))
                    .add(CloudEventHeaders.TYPE, "dev.profilesync.not-a-type".getBytes(StandardCharsets.UTF_8));
            producer.send(record).get();
        }
        browser.get("http://127.0.0.1:" + system.settings().monitorPort() + "/status");
        await().atMost(PATIENCE).until(() -> browser.findElement(By.id("deadletters")).getText()
                .contains("unknown-type"));

        browser.findElement(By.id("token")).sendKeys("not-an-operator-token");
        browser.findElement(By.id("replay")).click();
        await().atMost(PATIENCE).until(() -> browser.findElement(By.id("replayResult")).getText().startsWith("refused"));

        browser.findElement(By.id("token")).clear();
        browser.findElement(By.id("token")).sendKeys(Files.readString(dataDir.resolve(LocalTokens.OPERATOR_TOKEN))
                .trim());
        browser.findElement(By.id("replay")).click();
        await().atMost(PATIENCE).until(() -> browser.findElement(By.id("replayResult")).getText()
                .startsWith("replayed"));
        assertThat(browser.findElement(By.id("replayResult")).getText()).contains("\"replayed\":");
    }

    private static double delayOnPage() {
        String seconds = browser.findElement(By.id("headline")).getAttribute("data-seconds");
        return seconds == null ? -1 : Double.parseDouble(seconds);
    }

    private static void screenshot(String name) throws Exception {
        Path target = Path.of("target", name);
        Files.createDirectories(target.getParent());
        Files.write(target, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }
}
