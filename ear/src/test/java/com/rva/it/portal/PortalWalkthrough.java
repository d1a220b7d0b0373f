package com.rva.it.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What {@link PortalSeleniumIT} does in the browser (client side only: Selenium is not in the deployment).
 */
final class PortalWalkthrough {

    private static final String CHROMEDRIVER = System.getProperty("webdriver.chrome.driver", "/usr/bin/chromedriver");
    private static final String CHROMIUM = System.getProperty("rva.it.chromium", "/usr/bin/chromium");

    private PortalWalkthrough() {
    }

    static void run(URL base) throws Exception {
        if (!Files.isExecutable(Path.of(CHROMEDRIVER))) {
            fail("No ChromeDriver at " + CHROMEDRIVER + ": the portal test needs Debian's Chromium and its driver,"
                    + " install them with `apt-get install chromium chromium-driver` (CI does)");
        }
        Path screenshots = Files.createDirectories(Path.of(System.getProperty("rva.it.screenshots", "target/screenshots")));
        Path profile = Files.createTempDirectory("rva-chromium-");
        ChromeOptions options = new ChromeOptions();
        if (Files.isExecutable(Path.of(CHROMIUM))) {
            options.setBinary(CHROMIUM);
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1400,900", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort()
                .build();
        WebDriver driver = new ChromeDriver(service, options);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.ignoring(StaleElementReferenceException.class); // rows re-rendered by ajax while being read
            String page = Http.uri(base, "customers.xhtml?from=2019-04-01&to=2019-04-02").toString();

            // 1. anonymous: the login page
            driver.get(page);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username")));
            assertTrue(driver.getTitle().startsWith("Sign in"), driver.getTitle());

            // 2. log in: back on the page asked for, with the test customers of both stores
            driver.findElement(By.id("j_username")).sendKeys(Http.ADMIN);
            driver.findElement(By.id("j_password")).sendKeys(Http.ADMIN_PASSWORD);
            driver.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("results:visits")));
            assertTrue(driver.getCurrentUrl().endsWith("customers.xhtml?from=2019-04-01&to=2019-04-02"),
                    driver.getCurrentUrl());
            assertTrue(driver.findElement(By.id("current-user")).getText().contains("admin"));
            assertEquals(List.of(
                    List.of("911", "2", "10", "2019-04-01 09:00:00", "2019-04-02 17:45:00", "store_001: 2"),
                    List.of("913", "2", "5", "2019-04-01 08:00:00", "2019-04-02 12:05:00", "store_001: 1, store_002: 1"),
                    List.of("912", "1", "2", "2019-04-01 11:00:00", "2019-04-01 11:10:00", "store_002: 1")),
                    rows(driver));

            // 3. sorting is done by the database: first seen, earliest first
            driver.findElement(By.xpath("//th[.//span[normalize-space(.)='First seen (UTC)']]")).click();
            wait.until(d -> rows(d).stream().map(r -> r.get(0)).toList().equals(List.of("913", "911", "912")));

            // 4. only store_002: the filter goes into the URL and the table changes
            driver.findElement(By.id("filters:stores")).click();
            WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("filters:stores_panel")));
            WebElement store002 = panel.findElement(By.xpath(
                    ".//li[contains(@class,'ui-selectcheckboxmenu-item')][.//label[contains(normalize-space(.),'store_002')]]"));
            store002.findElement(By.cssSelector(".ui-chkbox-box")).click();
            wait.until(d -> store002.findElement(By.cssSelector(".ui-chkbox-box")).getAttribute("class")
                    .contains("ui-state-active"));
            driver.findElement(By.tagName("h1")).click();
            driver.findElement(By.id("filters:apply")).click();
            wait.until(ExpectedConditions.urlContains("stores=store_002"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("results:visits")));
            assertEquals(List.of(
                    List.of("912", "1", "2", "2019-04-01 11:00:00", "2019-04-01 11:10:00", "store_002: 1"),
                    List.of("913", "1", "2", "2019-04-02 12:00:00", "2019-04-02 12:05:00", "store_002: 1")),
                    rows(driver));
            assertTrue(driver.findElement(By.id("range")).getText().endsWith("store_002"),
                    driver.findElement(By.id("range")).getText());
            Path shot = screenshots.resolve("portal-customers-store_002.png");
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), shot,
                    StandardCopyOption.REPLACE_EXISTING);
            assertTrue(Files.size(shot) > 10_000, "screenshot " + shot + " looks empty");

            // 5. the admin pages, each reached from the menu
            for (String[] admin : new String[][] {{"nav-admin-stores", "Regions and stores", "admin-stores"},
                    {"nav-cameras", "Cameras", "admin-cameras"}, {"nav-settings", "Settings", "admin-settings"},
                    {"nav-jobs", "Batch jobs", "admin-jobs"}, {"nav-recipients", "Region report recipients", "admin-recipients"},
                    {"nav-erasure", "Erasure requests", "admin-erasure"}, {"nav-audit", "Audit log", "admin-audit"}}) {
                driver.findElement(By.id(admin[0])).click();
                wait.until(ExpectedConditions.textToBe(By.tagName("h1"), admin[1]));
                shot(driver, screenshots.resolve("portal-" + admin[2] + ".png"));
            }
            // 6. log out: the login page, and the portal needs a login again
            driver.findElement(By.id("logout-form:logout")).click();
            wait.until(ExpectedConditions.urlContains("login.xhtml"));
            assertTrue(driver.getPageSource().contains("You are signed out."));
            driver.get(page);
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username")));
        } catch (RuntimeException | AssertionError e) {
            Files.writeString(screenshots.resolve("portal-failure.html"), driver.getPageSource());
            Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(),
                    screenshots.resolve("portal-failure.png"), StandardCopyOption.REPLACE_EXISTING);
            throw e;
        } finally {
            driver.quit();
        }
    }

    /**
     * A store manager of store_001: the dashboard counts only its store, the customers page lists only customers
     * seen there, a customer's page shows only that store; then it logs out. Leaves screenshots.
     */
    static void runAsStoreManager(URL base, String user, String password) throws Exception {
        Path screenshots = Files.createDirectories(Path.of(System.getProperty("rva.it.screenshots", "target/screenshots")));
        WebDriver driver = browser();
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.ignoring(StaleElementReferenceException.class);
            driver.get(Http.uri(base, "dashboard.xhtml?from=2019-04-01&to=2019-04-02").toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username")));
            driver.findElement(By.id("j_username")).sendKeys(user);
            driver.findElement(By.id("j_password")).sendKeys(password);
            driver.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kpi-visits")));
            // store_001 had 911 twice and 913 once; 912 and 913's second visit were in store_002
            assertEquals("3", driver.findElement(By.id("kpi-visits")).getText());
            assertEquals("2", driver.findElement(By.id("kpi-customers")).getText());
            assertTrue(driver.findElements(By.id("nav-users")).isEmpty(), "no admin links");
            shot(driver, screenshots.resolve("portal-store-manager-dashboard.png"));

            driver.get(Http.uri(base, "customers.xhtml?from=2019-04-01&to=2019-04-02").toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("results:visits")));
            assertEquals(List.of("911", "913"), rows(driver).stream().map(r -> r.get(0)).sorted().toList());
            assertTrue(rows(driver).stream().allMatch(r -> r.get(5).equals("store_001: " + r.get(1))), rows(driver).toString());
            shot(driver, screenshots.resolve("portal-store-manager-customers.png"));

            driver.findElement(By.linkText("913")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("results:timeline")));
            assertEquals("913", driver.findElement(By.id("customer-id")).getText());
            assertTrue(!driver.getPageSource().contains("store_002"), "the other store stays hidden");
            shot(driver, screenshots.resolve("portal-store-manager-customer-913.png"));

            driver.findElement(By.id("logout-form:logout")).click();
            wait.until(ExpectedConditions.urlContains("login.xhtml"));
        } catch (RuntimeException | AssertionError e) {
            Files.writeString(screenshots.resolve("portal-store-manager-failure.html"), driver.getPageSource());
            shot(driver, screenshots.resolve("portal-store-manager-failure.png"));
            throw e;
        } finally {
            driver.quit();
        }
    }

    /**
     * A regional manager of the demo region (store_001, store_002): logs in, sees the dashboard of its stores only
     * (the store filter offers no store of another region), filters the customers to store_002, drills down to a
     * customer, exports the table to CSV (only its customers in the file), and logs out. Leaves screenshots.
     */
    static void runAsRegionalManager(URL base, String user, String password, Path downloads) throws Exception {
        Path screenshots = Files.createDirectories(Path.of(System.getProperty("rva.it.screenshots", "target/screenshots")));
        WebDriver driver = browser(downloads);
        try {
            WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(30));
            wait.ignoring(StaleElementReferenceException.class);
            String range = "from=2019-04-05&to=2019-04-05";
            driver.get(Http.uri(base, "dashboard.xhtml?" + range).toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("j_username")));
            driver.findElement(By.id("j_username")).sendKeys(user);
            driver.findElement(By.id("j_password")).sendKeys(password);
            driver.findElement(By.id("login-submit")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kpi-visits")));
            // that day: 914 in store_001, 915 in store_002 (the demo region), 916 in store_it9 (another region)
            assertEquals("2", driver.findElement(By.id("kpi-visits")).getText());
            assertEquals("2", driver.findElement(By.id("kpi-customers")).getText());
            assertTrue(driver.findElements(By.id("nav-users")).isEmpty() && driver.findElements(By.id("nav-jobs")).isEmpty(),
                    "no admin links");
            assertTrue(!driver.getPageSource().contains("store_it9"), "no store of another region on the dashboard");
            shot(driver, screenshots.resolve("portal-regional-dashboard.png"));

            driver.get(Http.uri(base, "customers.xhtml?" + range).toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("results:visits")));
            assertEquals(List.of("914", "915"), rows(driver).stream().map(r -> r.get(0)).sorted().toList());
            // filter: the store menu offers its region's stores only; pick store_002
            driver.findElement(By.id("filters:stores")).click();
            WebElement panel = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("filters:stores_panel")));
            List<String> offered = panel.findElements(By.cssSelector("li.ui-selectcheckboxmenu-item label")).stream()
                    .map(WebElement::getText).map(String::trim).toList();
            assertTrue(offered.stream().noneMatch(t -> t.contains("store_it9")), "offered " + offered);
            WebElement store002 = panel.findElement(By.xpath(
                    ".//li[contains(@class,'ui-selectcheckboxmenu-item')][.//label[contains(normalize-space(.),'store_002')]]"));
            store002.findElement(By.cssSelector(".ui-chkbox-box")).click();
            wait.until(d -> store002.findElement(By.cssSelector(".ui-chkbox-box")).getAttribute("class")
                    .contains("ui-state-active"));
            driver.findElement(By.tagName("h1")).click();
            driver.findElement(By.id("filters:apply")).click();
            wait.until(ExpectedConditions.urlContains("stores=store_002"));
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("results:visits")));
            assertEquals(List.of("915"), rows(driver).stream().map(r -> r.get(0)).toList());
            shot(driver, screenshots.resolve("portal-regional-customers-store_002.png"));

            // export: the CSV holds exactly what the table shows
            driver.findElement(By.id("results:export-csv")).click();
            Path csv = downloads.resolve("customers.csv");
            new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> Files.exists(csv));
            String exported = Files.readString(csv);
            assertTrue(exported.contains("915") && !exported.contains("914") && !exported.contains("916"), exported);

            // drill down
            driver.findElement(By.linkText("915")).click();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("results:timeline")));
            assertEquals("915", driver.findElement(By.id("customer-id")).getText());
            shot(driver, screenshots.resolve("portal-regional-customer-915.png"));

            // another region's customer is refused
            driver.get(Http.uri(base, "customer.xhtml?id=916&" + range).toString());
            assertTrue(!driver.getPageSource().contains("customer-id\">916"), "916 is out of scope");

            driver.get(Http.uri(base, "dashboard.xhtml?" + range).toString());
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("logout-form:logout")));
            driver.findElement(By.id("logout-form:logout")).click();
            wait.until(ExpectedConditions.urlContains("login.xhtml"));
        } catch (RuntimeException | AssertionError e) {
            Files.writeString(screenshots.resolve("portal-regional-failure.html"), driver.getPageSource());
            shot(driver, screenshots.resolve("portal-regional-failure.png"));
            throw e;
        } finally {
            driver.quit();
        }
    }

    private static WebDriver browser() throws Exception {
        return browser(null);
    }

    private static WebDriver browser(Path downloads) throws Exception {
        if (!Files.isExecutable(Path.of(CHROMEDRIVER))) {
            fail("No ChromeDriver at " + CHROMEDRIVER + ": install `chromium chromium-driver`");
        }
        ChromeOptions options = new ChromeOptions();
        if (Files.isExecutable(Path.of(CHROMIUM))) {
            options.setBinary(CHROMIUM);
        }
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--no-first-run",
                "--window-size=1400,900", "--user-data-dir=" + Files.createTempDirectory("rva-chromium-"));
        if (downloads != null) {
            options.setExperimentalOption("prefs", java.util.Map.of("download.default_directory", downloads.toString(),
                    "download.prompt_for_download", false));
        }
        return new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(new File(CHROMEDRIVER))
                .usingAnyFreePort().build(), options);
    }

    private static void shot(WebDriver driver, Path file) throws Exception {
        Files.copy(((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath(), file,
                StandardCopyOption.REPLACE_EXISTING);
    }

    /** The table's rows, cell texts left to right; the "no visits" row counts as none. */
    private static List<List<String>> rows(WebDriver driver) {
        return driver.findElements(By.cssSelector("tbody[id='results:visits_data'] > tr")).stream()
                .filter(tr -> !tr.getAttribute("class").contains("ui-datatable-empty-message"))
                .map(tr -> tr.findElements(By.tagName("td")).stream().map(td -> td.getText().trim()).toList())
                .toList();
    }
}
