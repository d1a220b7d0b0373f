package com.rva.collector;

import static com.rva.collector.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.rva.collector.send.EmbeddedBroker;
import com.rva.contract.CropContract;
import jakarta.jms.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault test of the real collector as its own JVM (loopback only), against a persistent broker standing in for
 * the server: the server goes down while the collector keeps producing, the collector is killed with
 * {@code kill -9} mid-run and restarted while the server is still down, then the server comes back. Every frame's
 * crop must arrive exactly once: none lost, none duplicated (counted by capture time, which is unique per frame).
 */
class CollectorFaultTest {

    private static final String STORE = "store_001";
    private static final Instant T0 = Instant.parse("2024-11-26T09:00:00Z");

    @TempDir
    Path tmp;

    private Process collector;
    private final List<Path> logs = new ArrayList<>();

    @AfterEach
    void stopCollector() throws InterruptedException {
        if (collector != null && collector.isAlive()) {
            collector.destroy();
            collector.waitFor(20, TimeUnit.SECONDS);
        }
    }

    @Test
    void serverOutageAndKillNineLoseAndDuplicateNothing() throws Exception {
        Path face = SharedFaces.photos("amy").get(0); // one face per frame
        Path frames = Files.createDirectories(tmp.resolve("frames"));
        Path config = tmp.resolve("collector.properties");
        int port = EmbeddedBroker.freePort();
        try (EmbeddedBroker server = new EmbeddedBroker(port).persistentIn(tmp.resolve("server"))
                .withUsers(Map.of("store-001", "s3cret")).start()) {
            Files.writeString(config, String.join("\n",
                    "store.id=" + STORE,
                    "server.url=" + server.url(),
                    "server.user=store-001",
                    "server.password=s3cret",
                    "cameras=cam-1",
                    "camera.cam-1.source=folder:" + frames,
                    "camera.cam-1.interval-seconds=1",
                    "state.dir=" + tmp.resolve("state"),
                    "log.stats-interval-seconds=5", "http.port=0", ""), StandardCharsets.UTF_8);

            // 1. all well
            collector = start(config);
            drop(face, frames, 1, 6);
            awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) == 6, "the first 6 crops reach the server", 60);

            // 2. the server goes down; the collector keeps taking frames into its outbox
            server.stop();
            drop(face, frames, 7, 12);
            awaitTrue(() -> isEmpty(frames), "frames 7-12 taken while the server is down", 30);

            // 3. kill -9 while frames keep coming
            drop(face, frames, 13, 15);
            Thread.sleep(600);
            collector.destroyForcibly(); // SIGKILL: no shutdown hook, no clean journal close
            collector.waitFor(20, TimeUnit.SECONDS);
            drop(face, frames, 16, 18);

            // 4. restart while the server is still down, more frames, then the server comes back
            collector = start(config);
            awaitTrue(() -> isEmpty(frames), "frames 13-18 taken after the restart", 60);
            drop(face, frames, 19, 20);
            awaitTrue(() -> isEmpty(frames), "frames 19-20 taken", 30);
            server.start();
            awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) >= 20, "all crops reach the server", 60);
            Thread.sleep(2000); // a late duplicate would show up here

            List<Message> received = server.drain(CropContract.CROPS_QUEUE, 1000);
            Set<String> ids = new TreeSet<>();
            Set<Instant> captured = new TreeSet<>();
            for (Message m : received) {
                ids.add(m.getStringProperty(CropContract.DUPLICATE_ID));
                captured.add(Instant.parse(m.getStringProperty(CropContract.CAPTURED_AT)));
            }
            Set<Instant> expected = new TreeSet<>();
            for (int i = 1; i <= 20; i++) {
                expected.add(T0.plusSeconds(i));
            }
            String report = "received " + received.size() + " crops, " + ids.size() + " distinct ids: " + ids + "\n"
                    + logs();
            assertEquals(20, received.size(), "every crop exactly once; " + report);
            assertEquals(20, ids.size(), report);
            assertEquals(expected, captured, "one crop per frame, none lost, none twice; " + report);
        }
    }

    /** Writes frames from..to (inclusive), one every 100 ms, atomically, with capture time T0 + i s. */
    private static void drop(Path face, Path frames, int from, int to) throws IOException, InterruptedException {
        String ext = face.getFileName().toString().replaceAll("^.*\\.", ".");
        for (int i = from; i <= to; i++) {
            Path tmp = frames.resolve(".frame.tmp");
            Files.copy(face, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.setLastModifiedTime(tmp, FileTime.from(T0.plusSeconds(i)));
            Files.move(tmp, frames.resolve(String.format("frame-%03d%s", i, ext)), StandardCopyOption.ATOMIC_MOVE);
            Thread.sleep(100);
        }
    }

    private Process start(Path config) throws IOException {
        Path log = tmp.resolve("collector-" + (logs.size() + 1) + ".log");
        logs.add(log);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(EdgeCollectorMain.JVM_OPTIONS); // as bin/edge-collector starts it
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), EdgeCollectorMain.class.getName(),
                "--config=" + config));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    private String logs() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Path log : logs) {
            sb.append("--- ").append(log.getFileName()).append('\n');
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.noneMatch(p -> !p.getFileName().toString().startsWith("."));
        } catch (IOException e) {
            return false;
        }
    }
}
