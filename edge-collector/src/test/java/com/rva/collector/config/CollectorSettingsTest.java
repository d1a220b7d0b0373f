package com.rva.collector.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CollectorSettingsTest {

    @TempDir
    Path tmp;
    private Map<String, String> raw;

    @BeforeEach
    void validSettings() {
        raw = new HashMap<>();
        raw.put("store.id", "store_001");
        raw.put("server.user", "collector");
        raw.put("server.password", "s3cret-server");
        raw.put("cameras", "cam-1, cam-2");
        raw.put("camera.cam-1.source", "folder:" + tmp.resolve("frames/cam-1"));
        raw.put("camera.cam-2.source", "http://camera.local/snapshot.jpg");
        raw.put("camera.cam-2.user", "viewer");
        raw.put("camera.cam-2.password", "s3cret-camera");
        raw.put("state.dir", tmp.resolve("state").toString());
    }

    @Test
    void validSettingsGetTheirDefaults() throws Exception {
        CollectorSettings s = CollectorSettings.from(raw);
        assertEquals("store_001", s.storeId());
        assertEquals("tcp://localhost:8080?httpUpgradeEnabled=true", s.serverUrl());
        assertEquals(0.8f, s.scoreThreshold());
        assertEquals(40, s.minFaceSizePx());
        assertEquals(1024L * 1024 * 1024, s.outboxMaxBytes());
        assertTrue(s.legacyQueuePrefix());
        assertEquals(2, s.cameras().size());
        CameraSettings cam1 = s.cameras().get(0);
        assertEquals("cam-1", cam1.id());
        assertTrue(cam1.isFolder());
        assertEquals(Duration.ofSeconds(15), cam1.interval());
        assertTrue(Files.isDirectory(cam1.folder()), "a missing frame folder is created");
        CameraSettings cam2 = s.cameras().get(1);
        assertFalse(cam2.isFolder());
        assertEquals("viewer", cam2.user());
        assertEquals("s3cret-camera", cam2.password());
    }

    @Test
    void secretsNeverAppearInDescriptions() throws Exception {
        String text = CollectorSettings.from(raw).toString();
        assertFalse(text.contains("s3cret"), text);
        assertTrue(text.contains("****"));
    }

    @Test
    void tlsSettingsAreCheckedAndThePasswordStaysOutOfTheUrlAndTheLog() throws Exception {
        raw.put("server.url", "tcp://h:8443?sslEnabled=true&trustStorePassword=oops");
        assertProblem("server.url", "must not contain a password");
        raw.put("server.url", "tcp://h:8443");
        raw.put("server.tls.trust-store", "/nonexistent/trust.p12");
        assertProblem("server.tls.trust-store", "is not a readable file");
        raw.remove("server.tls.trust-store");
        raw.put("server.tls.trust-store-password", "tls-secret");
        assertProblem("server.tls.trust-store", "is missing while server.tls.trust-store-password is set");
    }

    @Test
    void missingStoreIdIsNamed() {
        raw.remove("store.id");
        assertProblem("store.id", "missing");
    }

    @Test
    void missingCamerasIsNamed() {
        raw.remove("cameras");
        raw.remove("camera.cam-1.source");
        raw.remove("camera.cam-2.source");
        raw.remove("camera.cam-2.user");
        raw.remove("camera.cam-2.password");
        assertProblem("cameras", "missing");
    }

    @Test
    void missingCameraSourceIsNamed() {
        raw.remove("camera.cam-1.source");
        assertProblem("camera.cam-1.source", "missing");
    }

    @Test
    void unknownSourceKindIsNamed() {
        raw.put("camera.cam-1.source", "ftp://camera/stream");
        assertProblem("camera.cam-1.source", "is none of folder:/path, an http(s):// snapshot URL, rtsp://,"
                + " video:/path/file or usb:N");
    }

    @Test
    void streamSourcesAreAccepted() throws Exception {
        raw.put("camera.cam-1.source", "rtsp://10.0.0.7:554/stream1");
        raw.put("camera.cam-1.user", "viewer");
        raw.put("camera.cam-1.password", "cam-secret");
        raw.put("camera.cam-2.source", "usb:0");
        raw.remove("camera.cam-2.user");
        raw.remove("camera.cam-2.password");
        CollectorSettings s = CollectorSettings.from(raw);
        assertEquals("rtsp://10.0.0.7:554/stream1", s.cameras().get(0).describeSource());
        assertTrue(s.cameras().get(1).isStream());
        assertFalse(s.toString().contains("cam-secret"), s.toString());
        raw.put("camera.cam-1.source", "rtsp://viewer:cam-secret@10.0.0.7/stream1");
        assertProblem("camera.cam-1.source", "must not contain credentials");
        raw.put("camera.cam-1.source", "video:/nonexistent/door.mp4");
        assertProblem("camera.cam-1.source", "does not exist");
    }

    @Test
    void credentialsInsideTheUrlAreRefused() {
        raw.put("camera.cam-2.source", "http://viewer:pw@camera.local/snapshot.jpg");
        assertProblem("camera.cam-2.source", "must not contain credentials");
    }

    @Test
    void badIntervalIsNamed() {
        raw.put("camera.cam-1.interval-seconds", "fifteen");
        assertProblem("camera.cam-1.interval-seconds", "not a whole number");
        raw.put("camera.cam-1.interval-seconds", "0");
        assertProblem("camera.cam-1.interval-seconds", "out of range");
    }

    @Test
    void badScoreThresholdIsNamed() {
        raw.put("detector.score-threshold", "1.5");
        assertProblem("detector.score-threshold", "out of range");
        raw.put("detector.score-threshold", "high");
        assertProblem("detector.score-threshold", "not a number");
    }

    @Test
    void badMinFaceSizeIsNamed() {
        raw.put("face.min-size-px", "-3");
        assertProblem("face.min-size-px", "out of range");
    }

    @Test
    void missingStateDirIsNamed() {
        raw.remove("state.dir");
        assertProblem("state.dir", "missing");
    }

    @Test
    void stateDirThatIsAFileIsNamed() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        raw.put("state.dir", file.toString());
        assertProblem("state.dir", "not a folder");
    }

    @Test
    void badServerUrlIsNamed() {
        raw.put("server.url", "http://server:8080");
        assertProblem("server.url", "not an Artemis URL");
        raw.put("server.url", "tcp://server");
        assertProblem("server.url", "needs a host and a port");
    }

    @Test
    void missingPasswordIsNamed() {
        raw.remove("server.password");
        assertProblem("server.password", "missing");
    }

    @Test
    void cameraPasswordWithoutUserIsNamed() {
        raw.remove("camera.cam-2.user");
        assertProblem("camera.cam-2.user", "missing while camera.cam-2.password is set");
    }

    @Test
    void settingsOfUnlistedCamerasAndTyposAreNamed() {
        raw.put("camera.cam-3.source", "folder:" + tmp);
        assertProblem("camera.cam-3.source", "not listed in cameras");
        raw.remove("camera.cam-3.source");
        raw.put("camera.cam-1.intervall-seconds", "10");
        assertProblem("camera.cam-1.intervall-seconds", "not a known setting");
    }

    @Test
    void duplicateAndInvalidCameraIdsAreNamed() {
        raw.put("cameras", "cam-1,cam-1,cam-2");
        assertProblem("cameras", "listed twice");
        raw.put("cameras", "cam-1,cam/2");
        assertProblem("cameras", "not a valid camera id");
    }

    @Test
    void allProblemsAreReportedTogether() {
        raw.remove("store.id");
        raw.put("face.min-size-px", "tiny");
        ConfigException e = assertThrows(ConfigException.class, () -> CollectorSettings.from(raw));
        assertEquals(2, e.problems().size(), e.getMessage());
    }

    @Test
    void commandLineOverridesTheConfigFile() throws Exception {
        Path file = tmp.resolve("collector.properties");
        StringBuilder sb = new StringBuilder("# test\n");
        raw.forEach((k, v) -> sb.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        sb.append("face.min-size-px=60\n");
        Files.writeString(file, sb, StandardCharsets.UTF_8);
        CollectorSettings s = ConfigLoader.load("--config=" + file, "--face.min-size-px=80", "--store.id=store_002");
        assertEquals(80, s.minFaceSizePx());
        assertEquals("store_002", s.storeId());
        assertEquals("s3cret-server", s.serverPassword());
    }

    @Test
    void missingConfigFileAndMalformedArgumentsAreNamed() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load("--config=" + tmp.resolve("nope.properties")));
        assertEquals("--config", e.problems().get(0).setting());
        assertTrue(e.getMessage().contains("does not exist"), e.getMessage());

        e = assertThrows(ConfigException.class, () -> ConfigLoader.load("store.id=x"));
        assertEquals("store.id=x", e.problems().get(0).setting());
    }

    private void assertProblem(String setting, String text) {
        ConfigException e = assertThrows(ConfigException.class, () -> CollectorSettings.from(raw));
        assertTrue(e.problems().stream().anyMatch(p -> p.setting().equals(setting) && p.message().contains(text)),
                "expected a problem naming " + setting + " with '" + text + "', got:\n" + e.getMessage());
        assertTrue(e.getMessage().contains(setting + ": "), e.getMessage());
    }
}
