package com.rva.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rva.collector.send.EmbeddedBroker;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The store-PC distribution as built: unpacks the zip, checks its layout, and runs {@code bin/edge-collector check
 * CONFIG} against a broker standing in for the server — once with everything reachable (exit 0), once with a wrong
 * password and an unreachable camera (exit 1, each problem named, the secret never printed).
 */
class DistributionIT {

    @TempDir
    Path tmp;

    @Test
    void theZipHoldsLaunchersConfigAndUnitAndItsCheckCommandTriesCamerasAndServer() throws Exception {
        Path zip = Path.of(System.getProperty("rva.collector.dist"));
        assertTrue(Files.isRegularFile(zip), "build the distribution first: " + zip);
        Path home = unzip(zip, tmp.resolve("unpacked"));
        for (String f : List.of("bin/edge-collector", "bin/edge-collector.bat", "config/collector.properties",
                "systemd/edge-collector.service")) {
            assertTrue(Files.isRegularFile(home.resolve(f)), f + " in " + zip);
        }
        assertTrue(Files.readString(home.resolve("bin/edge-collector.bat")).contains("\r\n"), "Windows line ends");
        // both launchers start the JVM with the collector's options (what ./rva bench edge measures)
        String options = String.join(" ", EdgeCollectorMain.JVM_OPTIONS);
        assertTrue(Files.readString(home.resolve("bin/edge-collector")).contains("${JAVA_OPTS:-" + options + "}"),
                "bin/edge-collector defaults to " + options);
        assertTrue(Files.readString(home.resolve("bin/edge-collector.bat")).contains("set \"JAVA_OPTS=" + options + "\""),
                "bin/edge-collector.bat defaults to " + options);
        String example = Files.readString(home.resolve("config/collector.properties"));
        assertTrue(example.length() < 10_000, "the example config is a short commented file: " + example.length());
        for (String setting : List.of("store.id=", "server.url=", "cameras=", "state.dir=", "#outbox.max-mb=",
                "#http.port=", "#heartbeat.interval-seconds=")) {
            assertTrue(example.contains(setting), "example config documents " + setting);
        }
        try (var jars = Files.list(home)) {
            assertTrue(jars.anyMatch(p -> p.getFileName().toString().matches("rva-edge-collector-.*\\.jar")));
        }
        try (var libs = Files.list(home.resolve("lib"))) {
            assertTrue(libs.anyMatch(p -> p.getFileName().toString().startsWith("artemis-server-")));
        }
        Files.setPosixFilePermissions(home.resolve("bin/edge-collector"), Set.of(PosixFilePermission.OWNER_READ,
                PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE));

        Path frames = Files.createDirectories(tmp.resolve("frames"));
        try (EmbeddedBroker server = new EmbeddedBroker(EmbeddedBroker.freePort())
                .withUsers(Map.of("store-001", "right-secret")).start()) {
            Path good = config("good.properties", server.url(), "right-secret", frames, null);
            Run ok = check(home, good);
            assertEquals(0, ok.code, ok.out);
            assertTrue(ok.out.contains("camera cam-1 (folder:" + frames + "): OK"), ok.out);
            assertTrue(ok.out.contains("server " + server.url() + " as store-001: OK, logged in"), ok.out);
            assertTrue(ok.out.contains("CHECK OK"), ok.out);

            Path bad = config("bad.properties", server.url(), "wrong-secret", frames, "http://127.0.0.1:9/snapshot.jpg");
            Run failed = check(home, bad);
            assertEquals(1, failed.code, failed.out);
            assertTrue(failed.out.contains("camera cam-2 (http://127.0.0.1:9/snapshot.jpg): FAILED"), failed.out);
            assertTrue(failed.out.contains("as store-001: FAILED, the server refused the login"), failed.out);
            assertTrue(failed.out.contains("CHECK FAILED: 2 problem(s)"), failed.out);
            assertFalse(failed.out.contains("wrong-secret"), failed.out);
        }
        Run broken = check(home, tmp.resolve("missing.properties"));
        assertEquals(2, broken.code, broken.out);
        assertTrue(broken.out.contains("does not exist"), broken.out);
    }

    private Path config(String name, String url, String password, Path frames, String snapshot) throws IOException {
        String cameras = snapshot == null ? "cam-1" : "cam-1,cam-2";
        String text = String.join("\n", "store.id=store_001", "server.url=" + url, "server.user=store-001",
                "server.password=" + password, "server.legacy-queue-prefix=true", "cameras=" + cameras,
                "camera.cam-1.source=folder:" + frames, "state.dir=" + tmp.resolve("state"), "")
                + (snapshot == null ? "" : "camera.cam-2.source=" + snapshot + "\n");
        Path file = tmp.resolve(name);
        Files.writeString(file, text, StandardCharsets.UTF_8);
        return file;
    }

    private record Run(int code, String out) {
    }

    private static Run check(Path home, Path config) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/edge-collector").toString(), "check", config.toString())
                .redirectErrorStream(true);
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "check did not finish: " + out);
        return new Run(p.exitValue(), out);
    }

    private static Path unzip(Path zip, Path into) throws IOException {
        Path top = null;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream z = new ZipInputStream(in)) {
            for (ZipEntry e = z.getNextEntry(); e != null; e = z.getNextEntry()) {
                Path target = into.resolve(e.getName()).normalize();
                if (!target.startsWith(into)) {
                    throw new IOException("zip entry outside the target: " + e.getName());
                }
                if (top == null) {
                    top = into.resolve(Path.of(e.getName()).getName(0));
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(z, target);
                }
            }
        }
        return top;
    }
}
