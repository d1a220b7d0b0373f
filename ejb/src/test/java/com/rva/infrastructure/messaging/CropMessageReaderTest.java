package com.rva.infrastructure.messaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;

import com.rva.application.ingest.CameraDirectory;
import com.rva.application.ingest.CropSighting;
import com.rva.contract.CropContract;
import com.rva.domain.CropRejection.Reason;
import com.rva.recognition.CropDecoder;

import jakarta.jms.JMSException;
import jakarta.jms.Message;

class CropMessageReaderTest {

    private static final Instant NOW = Instant.parse("2024-11-26T10:05:00Z");

    private final CropMessageReader reader = new CropMessageReader(CropMessageReaderTest::status,
            user -> Optional.ofNullable(Map.of("store-001", "store_001", "store-002", "store_002").get(user)),
            new CropDecoder(), Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMinutes(10));

    private static CameraDirectory.Status status(String store, String camera) {
        if (!store.equals("store_001")) {
            return CameraDirectory.Status.UNKNOWN_STORE;
        }
        return camera.equals("cam-1") ? CameraDirectory.Status.KNOWN : CameraDirectory.Status.UNKNOWN_CAMERA;
    }

    static Map<String, Object> validProperties() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CropContract.STORE_ID, "store_001");
        p.put(CropContract.CAMERA_ID, "cam-1");
        p.put(CropContract.CAPTURED_AT, "2024-11-26T10:04:30Z");
        p.put(CropContract.FRAME_SEQ, 42L);
        p.put(CropContract.FACE_INDEX, 1);
        p.put(CropContract.DET_SCORE, 0.93f);
        p.put(CropContract.QUALITY, 0.8f);
        p.put(CropContract.DETECTOR_MODEL, "yunet-2023mar");
        p.put(CropContract.COLLECTOR_VERSION, "0.1.0");
        p.put(CropContract.DUPLICATE_ID, "store_001/cam-1/42/1");
        p.put(CropContract.GROUP_ID, "store_001");
        return p;
    }

    static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 2) << 16 | (y * 2) << 8 | 0x40);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }

    private CropMessageReader.Reading read(Map<String, Object> properties, byte[] body) throws JMSException {
        return reader.read(FakeMessages.bytes(properties, body));
    }

    private void assertRejected(Reason reason, String detailPart, CropMessageReader.Reading reading) {
        CropMessageReader.Rejected rejected = assertInstanceOf(CropMessageReader.Rejected.class, reading,
                () -> "expected " + reason + ", got " + reading);
        assertEquals(reason, rejected.reason(), rejected.detail());
        assertTrue(rejected.detail().contains(detailPart), rejected.detail());
    }

    @Test
    void acceptsAValidCrop() throws Exception {
        byte[] body = jpeg(112, 112);
        CropMessageReader.Reading reading = read(validProperties(), body);
        CropSighting crop = assertInstanceOf(CropMessageReader.Accepted.class, reading, reading::toString).crop();
        assertEquals("store_001", crop.storeCode());
        assertEquals("cam-1", crop.cameraCode());
        assertEquals(Instant.parse("2024-11-26T10:04:30Z"), crop.capturedAt());
        assertEquals(42L, crop.frameSeq());
        assertEquals(1, crop.faceIndex());
        assertEquals(0.93f, crop.detScore());
        assertEquals(0.8f, crop.quality());
        assertEquals("store_001/cam-1/42/1", crop.duplicateId());
        assertEquals("yunet-2023mar", crop.detectorModel());
        assertArrayEquals(body, crop.jpeg());
    }

    @Test
    void acceptsACropFromItsOwnStoresCollector() throws Exception {
        Map<String, Object> p = validProperties();
        p.put(CropMessageReader.VALIDATED_USER, "store-001");
        assertInstanceOf(CropMessageReader.Accepted.class, read(p, jpeg(112, 112)));
    }

    @Test
    void refusesACropFromAnotherStoresCollector() throws Exception {
        Map<String, Object> p = validProperties();
        p.put(CropMessageReader.VALIDATED_USER, "store-002");
        assertRejected(Reason.STORE_MISMATCH, "the sender 'store-002' is the collector of store 'store_002' but the crop"
                + " names store 'store_001'", read(p, jpeg(112, 112)));
        p.remove(CropMessageReader.VALIDATED_USER);
        p.put("JMSXUserID", "store-002");
        assertRejected(Reason.STORE_MISMATCH, "store-002", read(p, jpeg(112, 112)));
    }

    @Test
    void refusesACropFromAUserThatIsNoCollector() throws Exception {
        Map<String, Object> p = validProperties();
        p.put(CropMessageReader.VALIDATED_USER, "mallory");
        assertRejected(Reason.UNKNOWN_SENDER, "the sender 'mallory' is not the collector of any store",
                read(p, jpeg(112, 112)));
    }

    @Test
    void acceptsIntegralWideningAndADuplicateIdSentAsBytes() throws Exception {
        Map<String, Object> p = validProperties();
        p.put(CropContract.FRAME_SEQ, 42); // int where long is expected: lossless, as JMS allows
        p.put(CropContract.DUPLICATE_ID, "store_001/cam-1/42/1".getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(CropMessageReader.Accepted.class, read(p, jpeg(112, 112)));
    }

    @Test
    void refusesOtherMessageTypes() throws Exception {
        Message text = FakeMessages.text(validProperties());
        assertRejected(Reason.NOT_A_BYTES_MESSAGE, "TextMessage", reader.read(text));
    }

    @Test
    void namesEveryMissingProperty() throws Exception {
        Map<String, Object> p = validProperties();
        p.remove(CropContract.CAMERA_ID);
        assertRejected(Reason.MISSING_PROPERTY, "property cameraId is missing", read(p, jpeg(112, 112)));
        p.remove(CropContract.QUALITY);
        p.remove(CropContract.GROUP_ID);
        assertRejected(Reason.MISSING_PROPERTY, "properties cameraId, quality, JMSXGroupID are missing",
                read(p, jpeg(112, 112)));
    }

    @Test
    void refusesIllTypedProperties() throws Exception {
        assertInvalid(CropContract.FRAME_SEQ, "42", "frameSeq must be a long, not String");
        assertInvalid(CropContract.FACE_INDEX, 1L, "faceIndex must be an int, not Long");
        assertInvalid(CropContract.DET_SCORE, 0.93, "detScore must be a float, not Double");
        assertInvalid(CropContract.STORE_ID, 1, "storeId must be a string");
    }

    @Test
    void refusesOutOfRangeValues() throws Exception {
        assertInvalid(CropContract.QUALITY, 1.5f, "quality must be between 0 and 1");
        assertInvalid(CropContract.DET_SCORE, Float.NaN, "detScore must be between 0 and 1");
        assertInvalid(CropContract.STORE_ID, "  ", "storeId must not be blank");
        assertInvalid(CropContract.CAMERA_ID, "c".repeat(65), "at most 64 characters");
    }

    @Test
    void refusesNegativeCounters() throws Exception {
        Map<String, Object> p = validProperties();
        p.put(CropContract.FRAME_SEQ, -1L);
        p.put(CropContract.DUPLICATE_ID, "store_001/cam-1/-1/1");
        assertRejected(Reason.INVALID_PROPERTY, "frameSeq must not be negative", read(p, jpeg(112, 112)));
    }

    @Test
    void capturedAtMustBeAnIsoUtcInstant() throws Exception {
        assertInvalid(CropContract.CAPTURED_AT, "2024-11-26T10:05:00", "ISO-8601 UTC instant");
        assertInvalid(CropContract.CAPTURED_AT, "2024-11-26T10:05:00+01:00", "ISO-8601 UTC instant");
        assertInvalid(CropContract.CAPTURED_AT, "yesterday", "ISO-8601 UTC instant");
    }

    @Test
    void refusesCaptureTimesTooFarInTheFuture() throws Exception {
        Map<String, Object> p = validProperties();
        p.put(CropContract.CAPTURED_AT, "2024-11-26T10:14:59Z");
        assertInstanceOf(CropMessageReader.Accepted.class, read(p, jpeg(112, 112)), "within the allowed skew");
        p.put(CropContract.CAPTURED_AT, "2024-11-26T11:05:00Z");
        assertRejected(Reason.FUTURE_TIMESTAMP, "60 min ahead of the server clock (at most 10 min allowed)",
                read(p, jpeg(112, 112)));
    }

    @Test
    void theDuplicateIdAndGroupMustMatchTheCrop() throws Exception {
        assertInvalid(CropContract.DUPLICATE_ID, "store_001/cam-1/43/1", "_AMQ_DUPL_ID must be");
        assertInvalid(CropContract.GROUP_ID, "store_002", "JMSXGroupID must be the storeId");
    }

    @Test
    void refusesUnknownStoresAndCameras() throws Exception {
        Map<String, Object> p = validProperties();
        p.put(CropContract.STORE_ID, "store_999");
        p.put(CropContract.GROUP_ID, "store_999");
        p.put(CropContract.DUPLICATE_ID, "store_999/cam-1/42/1");
        assertRejected(Reason.UNKNOWN_STORE, "store 'store_999' is not registered", read(p, jpeg(112, 112)));

        Map<String, Object> q = validProperties();
        q.put(CropContract.CAMERA_ID, "cam-9");
        q.put(CropContract.DUPLICATE_ID, "store_001/cam-9/42/1");
        assertRejected(Reason.UNKNOWN_CAMERA, "camera 'cam-9'", read(q, jpeg(112, 112)));
    }

    @Test
    void refusesBodiesThatAreNotAn112By112Jpeg() throws Exception {
        byte[] good = jpeg(112, 112);
        assertRejected(Reason.UNDECODABLE_IMAGE, "empty", read(validProperties(), new byte[0]));
        assertRejected(Reason.UNDECODABLE_IMAGE, "not a JPEG", read(validProperties(),
                "hello".getBytes(StandardCharsets.US_ASCII)));
        assertRejected(Reason.UNDECODABLE_IMAGE, "", read(validProperties(), Arrays.copyOf(good, good.length / 3)));
        assertRejected(Reason.BAD_IMAGE_SIZE, "160x160", read(validProperties(), jpeg(160, 160)));
        assertRejected(Reason.OVERSIZED_BODY, "bytes", read(validProperties(),
                new byte[CropMessageReader.MAX_BODY_BYTES + 1]));
    }

    private void assertInvalid(String property, Object value, String detailPart) throws Exception {
        Map<String, Object> p = validProperties();
        p.put(property, value);
        assertRejected(Reason.INVALID_PROPERTY, detailPart, read(p, jpeg(112, 112)));
    }

    @Test
    void plainUtcInstantsParseAsInstantParseDoesAndAnythingElseIsLeftToIt() {
        java.util.Random random = new java.util.Random(42);
        for (int i = 0; i < 20_000; i++) {
            Instant t = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    switch (i % 4) {
                        case 0 -> 0;
                        case 1 -> random.nextInt(1000) * 1_000_000;
                        case 2 -> random.nextInt(1_000_000) * 1_000;
                        default -> random.nextInt(1_000_000_000);
                    });
            String s = t.toString();
            assertEquals(Instant.parse(s), CropMessageReader.plainUtcInstant(s), s);
        }
        for (String s : new String[] {"2024-02-29T23:59:59Z", "2024-11-26T10:05:00.1Z",
                "2024-11-26T10:05:00.123456789Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59.999999999Z",
                "1970-01-01T00:00:00Z"}) {
            assertEquals(Instant.parse(s), CropMessageReader.plainUtcInstant(s), s);
        }
        // not the plain form, or not a valid date and time: null, so the general way decides (and reports)
        for (String s : new String[] {"2023-02-29T10:00:00Z", "2024-04-31T10:00:00Z", "2024-13-01T10:00:00Z",
                "2024-00-01T10:00:00Z", "2024-11-26T24:00:00Z", "2024-11-26T10:60:00Z", "2024-11-26T23:59:60Z",
                "2024-11-26T10:05:00.Z", "2024-11-26T10:05:00.1234567890Z", "2024-11-26T10:05:00+01:00",
                "2024-11-26 10:05:00Z", "2024-11-26T10:05Z", "+2024-11-26T10:05:00Z", "2024-11-2aT10:05:00Z",
                "2024-11-26T10:05:00,5Z", "2024-11-26T10:05:00.12a4Z", "2024-11-26T10:05:00z"}) {
            assertEquals(null, CropMessageReader.plainUtcInstant(s), s);
        }
    }
}
