package com.rva.collector.send;

import static com.rva.collector.Await.awaitTrue;
import static com.rva.collector.send.CropBacklogTest.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.rva.contract.CropContract;
import jakarta.jms.BytesMessage;
import jakarta.jms.Message;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class CropSenderTest {

    private int port;
    private EmbeddedBroker broker;
    private CropSender sender;

    @BeforeEach
    void setUp() throws Exception {
        port = EmbeddedBroker.freePort();
        broker = new EmbeddedBroker(port);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (sender != null) {
            sender.close(Duration.ZERO);
        }
        broker.close();
    }

    private CropSender sender(int backlogSize) {
        sender = new CropSender(CropSender.connectionFactory(broker.url(), "collector", "secret", true),
                CropContract.CROPS_QUEUE, new CropBacklog(backlogSize), Duration.ofMillis(100), Duration.ofMillis(500));
        return sender.start();
    }

    @Test
    void everyContractPropertyIsSent() throws Exception {
        broker.start();
        sender(100);
        OutgoingCrop crop = new OutgoingCrop("store_001", "cam-1", Instant.parse("2024-11-26T10:05:00.123456Z"), 42L, 1,
                0.93f, 0.91f, "yunet-2023mar", "rva-edge-collector/0.1.0", new byte[] {(byte) 0xff, (byte) 0xd8, 7});
        sender.submit(List.of(crop));
        awaitTrue(() -> sender.sent() == 1, "crop sent");

        List<Message> messages = broker.drain(CropContract.CROPS_QUEUE, 500);
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
        assertEquals(CropContract.duplicateId("store_001", "cam-1", 42, 1), m.getStringProperty(CropContract.DUPLICATE_ID));
        assertEquals("store_001", m.getStringProperty(CropContract.GROUP_ID));
        // WildFly keeps JMS queues at jms.queue.<name>; the collector addresses them that way by default
        assertTrue(broker.hasQueue("jms.queue." + CropContract.CROPS_QUEUE));
    }

    @Test
    void theBrokerDropsAFrameSentTwiceByItsDuplicateId() throws Exception {
        broker.start();
        sender(100);
        sender.submit(frame("cam-1", 7, 2));
        awaitTrue(() -> sender.sent() == 2, "first copy committed");
        // a resend, as after a commit whose reply was lost: refused by the broker, not retried forever
        sender.submit(frame("cam-1", 7, 2));
        sender.submit(frame("cam-1", 8, 1));
        awaitTrue(() -> sender.sent() == 3, "next frame committed");
        assertEquals(2, sender.duplicates());
        assertEquals(0, sender.pending());
        List<Message> messages = broker.drain(CropContract.CROPS_QUEUE, 500);
        assertEquals(List.of("store_001/cam-1/7/0", "store_001/cam-1/7/1", "store_001/cam-1/8/0"),
                ids(messages));
    }

    @Test
    void cropsWaitForAnUnreachableServerAndArriveInOrderWhenItComesUp() throws Exception {
        sender(100);
        for (int seq = 1; seq <= 3; seq++) {
            sender.submit(frame("cam-1", seq, 2));
        }
        Thread.sleep(400);
        assertEquals(0, sender.sent());
        assertEquals(6, sender.pending());

        broker.start();
        awaitTrue(() -> sender.sent() == 6, "backlog drained after the server came up");
        assertEquals(0, sender.pending());
        assertEquals(List.of("store_001/cam-1/1/0", "store_001/cam-1/1/1", "store_001/cam-1/2/0",
                "store_001/cam-1/2/1", "store_001/cam-1/3/0", "store_001/cam-1/3/1"),
                ids(broker.drain(CropContract.CROPS_QUEUE, 500)));
    }

    @Test
    void whenTheBacklogIsFullTheOldestCropsAreDroppedAndCounted() throws Exception {
        sender(3);
        for (int seq = 1; seq <= 5; seq++) {
            sender.submit(frame("cam-1", seq, 1));
        }
        awaitTrue(() -> sender.backlog().dropped() == 2, "two drops counted");
        assertEquals(2, sender.backlog().droppedFor("cam-1"));
        broker.start();
        awaitTrue(() -> sender.sent() == 3, "the newest three sent");
        assertEquals(List.of("store_001/cam-1/3/0", "store_001/cam-1/4/0", "store_001/cam-1/5/0"),
                ids(broker.drain(CropContract.CROPS_QUEUE, 500)));
    }

    @Test
    void reconnectsAfterTheConnectionBreaks() throws Exception {
        broker.start();
        sender(100);
        sender.submit(frame("cam-1", 1, 1));
        awaitTrue(() -> sender.sent() == 1, "first crop sent");
        broker.stop();
        sender.submit(frame("cam-1", 2, 1));
        Thread.sleep(300);
        broker = new EmbeddedBroker(port).start();
        awaitTrue(() -> sender.sent() == 2, "second crop sent after reconnecting");
        assertEquals(List.of("store_001/cam-1/2/0"), ids(broker.drain(CropContract.CROPS_QUEUE, 500)));
    }

    private static List<String> ids(List<Message> messages) throws Exception {
        List<String> ids = new java.util.ArrayList<>();
        for (Message m : messages) {
            ids.add(m.getStringProperty(CropContract.DUPLICATE_ID));
        }
        return ids;
    }
}
