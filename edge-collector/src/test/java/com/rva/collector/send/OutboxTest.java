package com.rva.collector.send;

import static com.rva.collector.Await.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.rva.contract.CropContract;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store-and-forward outbox against a real broker standing in for the server (loopback only). */
class OutboxTest {

    @TempDir
    Path tmp;

    private int port;
    private EmbeddedBroker server;
    private Outbox outbox;

    @BeforeEach
    void setUp() throws Exception {
        port = EmbeddedBroker.freePort();
        server = new EmbeddedBroker(port).persistentIn(tmp.resolve("server"))
                .withUsers(Map.of("store-001", "secret"));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (outbox != null) {
            outbox.close();
        }
        server.close();
    }

    private Outbox open(long maxBytes) throws Exception {
        outbox = new Outbox(tmp.resolve("outbox"), server.url(), "store-001", "secret", true, maxBytes);
        return outbox;
    }

    static List<OutgoingCrop> frame(String camera, long seq, int faces) {
        List<OutgoingCrop> crops = new ArrayList<>();
        for (int i = 0; i < faces; i++) {
            crops.add(new OutgoingCrop("store_001", camera, Instant.parse("2024-11-26T10:05:00Z").plusSeconds(seq),
                    seq, i, 0.9f, 0.8f, "yunet-2023mar", "rva-edge-collector/test", new byte[] {1, 2, (byte) seq}));
        }
        return crops;
    }

    @Test
    void everyContractPropertyArrivesWithTheSendersValidatedUser() throws Exception {
        server.start();
        open(1 << 20);
        OutgoingCrop crop = new OutgoingCrop("store_001", "cam-1", Instant.parse("2024-11-26T10:05:00.123456Z"), 42L, 1,
                0.93f, 0.91f, "yunet-2023mar", "rva-edge-collector/0.1.0", new byte[] {(byte) 0xff, (byte) 0xd8, 7});
        assertEquals(1, outbox.send(List.of(crop)));
        awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) == 1, "crop forwarded");

        List<Message> messages = server.drain(CropContract.CROPS_QUEUE, 500);
        assertEquals(1, messages.size());
        BytesMessage m = (BytesMessage) messages.get(0);
        byte[] body = new byte[(int) m.getBodyLength()];
        m.readBytes(body);
        assertArrayEquals(crop.jpeg(), body);
        assertEquals("store_001", m.getObjectProperty(CropContract.STORE_ID));
        assertEquals("cam-1", m.getObjectProperty(CropContract.CAMERA_ID));
        assertEquals("2024-11-26T10:05:00.123Z", m.getObjectProperty(CropContract.CAPTURED_AT));
        assertEquals(42L, m.getObjectProperty(CropContract.FRAME_SEQ));
        assertEquals(1, m.getObjectProperty(CropContract.FACE_INDEX));
        assertEquals(0.93f, m.getObjectProperty(CropContract.DET_SCORE));
        assertEquals(0.91f, m.getObjectProperty(CropContract.QUALITY));
        assertEquals("yunet-2023mar", m.getObjectProperty(CropContract.DETECTOR_MODEL));
        assertEquals("rva-edge-collector/0.1.0", m.getObjectProperty(CropContract.COLLECTOR_VERSION));
        assertEquals("store_001/cam-1/42/1", m.getStringProperty(CropContract.DUPLICATE_ID));
        assertEquals("store_001", m.getStringProperty(CropContract.GROUP_ID));
        // the server sees who sent it: the user the bridge authenticated as, not a property the sender set
        assertEquals("store-001", m.getStringProperty("JMSXUserID"));
        assertEquals(1, outbox.forwarded());
    }

    @Test
    void aFrameStoredTwiceIsKeptOnce() throws Exception {
        server.start();
        open(1 << 20);
        assertEquals(2, outbox.send(frame("cam-1", 7, 2)));
        // the same frame again, as after a crash between storing it and deleting its file
        assertEquals(0, outbox.send(frame("cam-1", 7, 2)));
        assertEquals(1, outbox.send(frame("cam-1", 8, 1)));
        assertEquals(2, outbox.replayed());
        awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) == 3, "three crops forwarded");
        assertEquals(List.of("store_001/cam-1/7/0", "store_001/cam-1/7/1", "store_001/cam-1/8/0"),
                ids(server.drain(CropContract.CROPS_QUEUE, 500)));
    }

    @Test
    void serverDownThenBackEveryCropArrivesOnce() throws Exception {
        server.start();
        open(1 << 20);
        outbox.send(frame("cam-1", 1, 2));
        awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) == 2, "first frame forwarded");
        awaitTrue(outbox::connected, "the bridge reports itself connected");
        server.stop();
        awaitTrue(() -> !outbox.connected(), "the bridge reports itself disconnected while the server is down");
        for (int seq = 2; seq <= 6; seq++) {
            outbox.send(frame("cam-1", seq, 2));
        }
        awaitTrue(() -> outbox.backlog() == 10, "ten crops wait in the outbox while the server is down");
        assertNotNull(outbox.oldestUndelivered());
        assertEquals(Instant.parse("2024-11-26T10:05:02Z"), outbox.oldestUndelivered());

        server.start();
        awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) == 12, "backlog forwarded after the server came back");
        awaitTrue(() -> outbox.backlog() == 0, "outbox empty");
        awaitTrue(outbox::connected, "connected again");
        assertNull(outbox.oldestUndelivered());
        List<String> ids = ids(server.drain(CropContract.CROPS_QUEUE, 1000));
        assertEquals(12, ids.size(), "each crop exactly once: " + ids);
        assertEquals(12, ids.stream().distinct().count(), "no crop twice: " + ids);
    }

    @Test
    void cropsWaitingInTheOutboxSurviveARestartOfTheCollector() throws Exception {
        open(1 << 20);
        for (int seq = 1; seq <= 4; seq++) {
            outbox.send(frame("cam-1", seq, 1));
        }
        outbox.close();
        outbox = null;
        server.start();
        open(1 << 20);
        awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) == 4, "crops from before the restart forwarded");
        // the duplicate-id cache survived as well
        assertEquals(0, outbox.send(frame("cam-1", 4, 1)));
        assertEquals(List.of("store_001/cam-1/1/0", "store_001/cam-1/2/0", "store_001/cam-1/3/0",
                "store_001/cam-1/4/0"), ids(server.drain(CropContract.CROPS_QUEUE, 500)));
    }

    @Test
    void atTheDiskCapNewCropsAreDroppedAndCounted() throws Exception {
        open(1); // one byte: full as soon as one crop waits
        outbox.send(frame("cam-1", 1, 1));
        awaitTrue(() -> outbox.backlogBytes() > 0, "the first crop counted in the outbox's size");
        Outbox.FullException full = assertThrows(Outbox.FullException.class, () -> outbox.send(frame("cam-1", 2, 3)));
        assertEquals(true, full.getMessage().contains("3 new crop(s) dropped"), full.getMessage());
        assertThrows(Outbox.FullException.class, () -> outbox.send(frame("cam-2", 3, 1)));
        assertEquals(3, outbox.droppedFor("cam-1"));
        assertEquals(1, outbox.droppedFor("cam-2"));
        assertEquals(4, outbox.dropped());
        server.start();
        awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) == 1, "the kept crop forwarded");
        assertEquals(List.of("store_001/cam-1/1/0"), ids(server.drain(CropContract.CROPS_QUEUE, 500)));
        // room again
        assertEquals(1, outbox.send(frame("cam-1", 4, 1)));
    }

    @Test
    void forwardsOverTlsTrustingASelfSignedCertificate() throws Exception {
        Path keys = tmp.resolve("tls");
        java.nio.file.Files.createDirectories(keys);
        keytool(keys, "-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "san=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", "server.p12", "-storepass", "server-pw", "-keypass", "server-pw");
        keytool(keys, "-exportcert", "-alias", "server", "-keystore", "server.p12", "-storepass", "server-pw",
                "-file", "server.crt");
        keytool(keys, "-importcert", "-noprompt", "-alias", "server", "-file", "server.crt", "-storetype", "PKCS12",
                "-keystore", "trust.p12", "-storepass", "trust-pw");
        server.stop();
        server = new EmbeddedBroker(port).persistentIn(tmp.resolve("server-tls"))
                .withUsers(Map.of("store-001", "secret")).withTls(keys.resolve("server.p12"), "server-pw").start();
        com.rva.collector.config.CollectorSettings settings = com.rva.collector.config.CollectorSettings.from(Map.of(
                "store.id", "store_001", "server.url", server.url(), "server.user", "store-001",
                "server.password", "secret", "cameras", "cam-1", "camera.cam-1.source", "folder:" + tmp.resolve("f"),
                "state.dir", tmp.resolve("state").toString(),
                "server.tls.trust-store", keys.resolve("trust.p12").toString(),
                "server.tls.trust-store-password", "trust-pw"));
        assertEquals(false, settings.toString().contains("trust-pw"), settings.toString());
        outbox = new Outbox(tmp.resolve("outbox"), settings.connectorUrl(), "store-001", "secret", true, 1 << 20);
        assertEquals(1, outbox.send(frame("cam-1", 1, 1)));
        awaitTrue(() -> server.count(CropContract.CROPS_QUEUE) == 1, "crop forwarded over TLS");
        outbox.close();
        outbox = null;

        // without the trust store the collector does not trust the certificate: nothing is forwarded
        outbox = new Outbox(tmp.resolve("outbox-plain"), server.url() + "?sslEnabled=true", "store-001", "secret",
                true, 1 << 20);
        outbox.send(frame("cam-1", 2, 1));
        Thread.sleep(1500);
        assertEquals(1, server.count(CropContract.CROPS_QUEUE));
        assertEquals(1, outbox.backlog());
    }

    private static void keytool(Path dir, String... args) throws Exception {
        java.util.List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), "keytool " + List.of(args) + ": " + out);
    }

    @Test
    void aWrongPasswordKeepsCropsInTheOutbox() throws Exception {
        server.start();
        outbox = new Outbox(tmp.resolve("outbox"), server.url(), "store-001", "wrong", true, 1 << 20);
        outbox.send(frame("cam-1", 1, 1));
        Thread.sleep(1500);
        assertEquals(0, server.count(CropContract.CROPS_QUEUE));
        assertEquals(1, outbox.backlog());
    }

    static List<String> ids(List<Message> messages) throws Exception {
        List<String> ids = new ArrayList<>();
        for (Message m : messages) {
            ids.add(m.getStringProperty(CropContract.DUPLICATE_ID));
        }
        return ids;
    }
}
