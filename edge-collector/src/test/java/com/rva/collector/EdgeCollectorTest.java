package com.rva.collector;

import static com.rva.collector.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rva.collector.config.CollectorSettings;
import com.rva.collector.config.ConfigLoader;
import com.rva.collector.send.EmbeddedBroker;
import com.rva.contract.CropContract;
import com.rva.models.ModelFile;
import jakarta.jms.Message;
import jakarta.jms.TextMessage;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole collector: a watched folder in, messages on a real broker (standing in for the server) out. */
class EdgeCollectorTest {

    @TempDir
    Path tmp;

    @Test
    void framesDroppedInAFolderArriveAsCropMessagesAndAreDeleted() throws Exception {
        Path amy = SharedFaces.photos("amy").get(0);
        Path noFace = SharedFaces.photos("_noface").get(0);
        Path frames = tmp.resolve("frames");
        Files.createDirectories(frames);
        Files.copy(amy, frames.resolve("frame-001.png"));
        Files.copy(noFace, frames.resolve("frame-002" + ext(noFace)));
        Files.writeString(frames.resolve("frame-003.jpg"), "broken");

        try (EmbeddedBroker broker = new EmbeddedBroker(EmbeddedBroker.freePort()).start()) {
            CollectorSettings settings = ConfigLoader.load("--store.id=store_007", "--server.url=" + broker.url(),
                    "--server.user=collector", "--server.password=pw", "--cameras=door",
                    "--camera.door.source=folder:" + frames, "--camera.door.interval-seconds=1",
                    "--state.dir=" + tmp.resolve("state"), "--log.stats-interval-seconds=1", "--http.port=0",
                    "--heartbeat.interval-seconds=1", "--collector.id=till-3");
            try (EdgeCollector collector = new EdgeCollector(settings).start()) {
                awaitTrue(() -> broker.count(CropContract.CROPS_QUEUE) == 1, "amy's crop forwarded");
                awaitTrue(() -> isEmpty(frames), "all three frames consumed");
                awaitTrue(() -> collector.status().frames() == 2, "two frames counted, the broken one apart");

                HttpClient http = HttpClient.newHttpClient();
                String base = "http://127.0.0.1:" + collector.httpPort();
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, health.statusCode(), health.body());
                assertTrue(health.body().contains("\"storeId\":\"store_007\""), health.body());
                assertTrue(health.body().contains("\"frames\":2,\"faces\":1,"), health.body());
                assertTrue(health.body().contains("\"badFrame\":1"), health.body());
                HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, metrics.statusCode());
                assertTrue(metrics.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
                assertTrue(metrics.body().contains("rva_collector_frames_total{store=\"store_007\",camera=\"door\"} 2\n"),
                        metrics.body());
                assertTrue(metrics.body().contains("rva_collector_crops_dropped_total{store=\"store_007\",camera=\"door\"} 0\n"),
                        metrics.body());
                assertTrue(metrics.body().contains("# TYPE rva_collector_outbox_crops gauge\n"), metrics.body());
                assertEquals(404, http.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode());
                awaitTrue(() -> broker.count(CropContract.HEARTBEATS_QUEUE) >= 1, "a heartbeat reached the server");
            }
            Message beat = broker.drain(CropContract.HEARTBEATS_QUEUE, 500).get(0);
            assertEquals("till-3", beat.getStringProperty("collectorId"));
            String json = ((TextMessage) beat).getText();
            assertTrue(json.contains("\"collectorId\":\"till-3\""), json);
            assertTrue(json.contains("\"cameras\":[{\"id\":\"door\""), json);
            List<Message> messages = broker.drain(CropContract.CROPS_QUEUE, 500);
            assertEquals(1, messages.size());
            Message m = messages.get(0);
            assertEquals("store_007", m.getStringProperty(CropContract.STORE_ID));
            assertEquals("door", m.getStringProperty(CropContract.CAMERA_ID));
            assertEquals(1L, m.getLongProperty(CropContract.FRAME_SEQ));
            assertEquals(0, m.getIntProperty(CropContract.FACE_INDEX));
            assertEquals(ModelFile.YUNET.version(), m.getStringProperty(CropContract.DETECTOR_MODEL));
            assertTrue(m.getStringProperty(CropContract.COLLECTOR_VERSION).startsWith("rva-edge-collector/0."),
                    m.getStringProperty(CropContract.COLLECTOR_VERSION));
            assertTrue(m.getStringProperty(CropContract.CAPTURED_AT).endsWith("Z"));
            assertEquals("store_007/door/1/0", m.getStringProperty(CropContract.DUPLICATE_ID));

            // the face-less frame used number 2, the broken file none; a restart goes on from there
            assertEquals("2", Files.readString(tmp.resolve("state/frame-seq-door")).trim().split("\t")[0]);
            Files.copy(amy, frames.resolve(".frame-004.png.tmp"));
            Files.move(frames.resolve(".frame-004.png.tmp"), frames.resolve("frame-004.png"),
                    StandardCopyOption.ATOMIC_MOVE);
            try (EdgeCollector collector = new EdgeCollector(settings).start()) {
                awaitTrue(() -> broker.count(CropContract.CROPS_QUEUE) == 1, "crop after restart forwarded");
            }
            List<Message> after = broker.drain(CropContract.CROPS_QUEUE, 500);
            assertEquals(1, after.size());
            assertEquals(3L, after.get(0).getLongProperty(CropContract.FRAME_SEQ));
        }
        assertFalse(Files.exists(frames.resolve("frame-004.png")));
    }

    @Test
    void qualityGateRejectionsAreCountedPerCameraAndReasonAndSentWithTheHeartbeat() throws Exception {
        Path amy = SharedFaces.photos("amy").get(0);
        Path door = Files.createDirectories(tmp.resolve("door"));
        Path back = Files.createDirectories(tmp.resolve("back"));
        Files.copy(amy, door.resolve("frame-001.png"));
        try (EmbeddedBroker broker = new EmbeddedBroker(EmbeddedBroker.freePort()).start()) {
            // every face is smaller than this minimum: amy's is rejected as TOO_SMALL
            CollectorSettings settings = ConfigLoader.load("--store.id=store_007", "--server.url=" + broker.url(),
                    "--server.user=collector", "--server.password=pw", "--cameras=door,back",
                    "--camera.door.source=folder:" + door, "--camera.door.interval-seconds=1",
                    "--camera.back.source=folder:" + back, "--camera.back.interval-seconds=1",
                    "--face.min-size-px=5000", "--state.dir=" + tmp.resolve("state"), "--http.port=0",
                    "--heartbeat.interval-seconds=1", "--collector.id=till-4");
            try (EdgeCollector collector = new EdgeCollector(settings).start()) {
                awaitTrue(() -> collector.status().frames() == 1, "the frame processed");
                assertEquals(0, collector.status().faces());
                String json = collector.status().toJson();
                assertTrue(json.contains("\"id\":\"door\""), json);
                assertTrue(json.contains("\"gateRejects\":{\"TOO_SMALL\":1,\"LOW_SCORE\":0,\"BLURRY\":0,\"NOT_FRONTAL\":0}}"
                        + ",{\"id\":\"back\""), "door's rejection, per reason: " + json);
                assertTrue(json.endsWith("\"gateRejects\":{\"TOO_SMALL\":0,\"LOW_SCORE\":0,\"BLURRY\":0,\"NOT_FRONTAL\":0}}]}"),
                        "none for back: " + json);
                assertTrue(json.contains("\"outboxFailure\":0,\"TOO_SMALL\":1,\"LOW_SCORE\":0,"), "the totals: " + json);
                String metrics = collector.status().toPrometheus();
                assertTrue(metrics.contains("rva_collector_gate_rejects_total{store=\"store_007\",camera=\"door\","
                        + "reason=\"TOO_SMALL\"} 1\n"), metrics);
                awaitTrue(() -> broker.count(CropContract.HEARTBEATS_QUEUE) >= 2, "heartbeats reached the server");
            }
            List<Message> beats = broker.drain(CropContract.HEARTBEATS_QUEUE, 500);
            String last = ((TextMessage) beats.get(beats.size() - 1)).getText();
            assertTrue(last.contains("\"gateRejects\":{\"TOO_SMALL\":1,"), "the heartbeat carries them: " + last);
            assertEquals(0, broker.count(CropContract.CROPS_QUEUE));
        }
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private static String ext(Path p) {
        String n = p.getFileName().toString();
        return n.substring(n.lastIndexOf('.'));
    }
}
