package com.rva.infrastructure.messaging;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import com.rva.application.ingest.CameraDirectory;
import com.rva.application.ingest.CropSighting;
import com.rva.contract.CropContract;
import com.rva.domain.CropRejection.Reason;
import com.rva.recognition.CropDecoder;
import com.rva.recognition.InvalidCropException;

import jakarta.jms.BytesMessage;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

/**
 * Validates a crop message against the contract (DESIGN §5, {@link CropContract}) and either accepts it as
 * a {@link CropSighting} or names the permanent fault. Everything a collector controls is checked here:
 * the message type, every property (present, of its type, in range), the capture time (ISO-8601 UTC, not
 * ahead of the server clock by more than the allowed skew), the duplicate id and group, the store and
 * camera, and the JPEG body (decodes, 112×112). A {@link JMSException} is not a verdict on the message:
 * it propagates so the delivery is retried.
 */
public final class CropMessageReader {

    /** A 112×112 JPEG is a few kB even at quality 100; anything far larger is not a crop. */
    public static final int MAX_BODY_BYTES = 256 * 1024;

    private static final int MAX_CODE_LENGTH = 64;
    private static final int MAX_TEXT_LENGTH = 200;

    /** Properties every crop message carries, in the order they are reported when missing. */
    static final List<String> REQUIRED = List.of(CropContract.STORE_ID, CropContract.CAMERA_ID,
            CropContract.CAPTURED_AT, CropContract.FRAME_SEQ, CropContract.FACE_INDEX, CropContract.DET_SCORE,
            CropContract.QUALITY, CropContract.DETECTOR_MODEL, CropContract.COLLECTOR_VERSION,
            CropContract.DUPLICATE_ID, CropContract.GROUP_ID);

    /** Tells whether a store and camera are registered. */
    @FunctionalInterface
    public interface CameraCheck {
        CameraDirectory.Status status(String storeCode, String cameraCode);
    }

    /** Tells which store a collector user (the broker-validated sender) belongs to. */
    @FunctionalInterface
    public interface SenderCheck {
        Optional<String> storeOf(String username);
    }

    /**
     * The sender as the broker authenticated it ({@code populateValidatedUser}): Artemis overwrites this
     * property on every message a remote client sends, so a collector cannot choose it.
     */
    public static final String VALIDATED_USER = "_AMQ_VALIDATED_USER";
    static final String JMSX_USER_ID = "JMSXUserID";

    /** The verdict on one message. */
    public sealed interface Reading permits Accepted, Rejected {
    }

    public record Accepted(CropSighting crop) implements Reading {
    }

    public record Rejected(Reason reason, String detail) implements Reading {
    }

    private static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;
        final Reason reason;

        Invalid(Reason reason, String detail) {
            super(detail, null, false, false);
            this.reason = reason;
        }
    }

    private final CameraCheck cameras;
    private final SenderCheck senders;
    private final CropDecoder decoder;
    private final Clock clock;
    private final Duration maxClockSkew;

    /** A reader for in-server senders only: any message with a validated user is rejected as UNKNOWN_SENDER. */
    public CropMessageReader(CameraCheck cameras, CropDecoder decoder, Clock clock, Duration maxClockSkew) {
        this(cameras, user -> Optional.empty(), decoder, clock, maxClockSkew);
    }

    public CropMessageReader(CameraCheck cameras, SenderCheck senders, CropDecoder decoder, Clock clock,
            Duration maxClockSkew) {
        this.cameras = Objects.requireNonNull(cameras, "cameras");
        this.senders = Objects.requireNonNull(senders, "senders");
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.maxClockSkew = Objects.requireNonNull(maxClockSkew, "maxClockSkew");
    }

    public Reading read(Message message) throws JMSException {
        try {
            return new Accepted(validate(message));
        } catch (Invalid e) {
            return new Rejected(e.reason, e.getMessage());
        }
    }

    private CropSighting validate(Message message) throws JMSException, Invalid {
        if (!(message instanceof BytesMessage bytes)) {
            throw new Invalid(Reason.NOT_A_BYTES_MESSAGE, "a crop must be a BytesMessage, not a "
                    + (message == null ? "null message" : jmsType(message)));
        }
        List<String> missing = new ArrayList<>();
        for (String name : REQUIRED) {
            if (!message.propertyExists(name) || message.getObjectProperty(name) == null) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new Invalid(Reason.MISSING_PROPERTY, (missing.size() == 1 ? "property " : "properties ")
                    + String.join(", ", missing) + (missing.size() == 1 ? " is" : " are") + " missing");
        }

        String store = text(message, CropContract.STORE_ID, MAX_CODE_LENGTH);
        String camera = text(message, CropContract.CAMERA_ID, MAX_CODE_LENGTH);
        Instant capturedAt = instant(message, CropContract.CAPTURED_AT);
        long frameSeq = longValue(message, CropContract.FRAME_SEQ);
        int faceIndex = intValue(message, CropContract.FACE_INDEX);
        float detScore = unitFloat(message, CropContract.DET_SCORE);
        float quality = unitFloat(message, CropContract.QUALITY);
        String detectorModel = text(message, CropContract.DETECTOR_MODEL, MAX_TEXT_LENGTH);
        String collectorVersion = text(message, CropContract.COLLECTOR_VERSION, MAX_TEXT_LENGTH);
        if (frameSeq < 0) {
            throw invalid(CropContract.FRAME_SEQ, "must not be negative", frameSeq);
        }
        if (faceIndex < 0) {
            throw invalid(CropContract.FACE_INDEX, "must not be negative", faceIndex);
        }
        String duplicateId = CropContract.duplicateId(store, camera, frameSeq, faceIndex);
        String sentDuplicateId = duplicateIdProperty(message);
        if (!duplicateId.equals(sentDuplicateId)) {
            throw invalid(CropContract.DUPLICATE_ID, "must be storeId/cameraId/frameSeq/faceIndex = '" + duplicateId
                    + "'", sentDuplicateId);
        }
        String group = text(message, CropContract.GROUP_ID, MAX_CODE_LENGTH);
        if (!group.equals(store)) {
            throw invalid(CropContract.GROUP_ID, "must be the storeId '" + store + "'", group);
        }
        Instant latest = clock.instant().plus(maxClockSkew);
        if (capturedAt.isAfter(latest)) {
            throw new Invalid(Reason.FUTURE_TIMESTAMP, "capturedAt " + capturedAt + " is "
                    + Duration.between(clock.instant(), capturedAt).toMinutes() + " min ahead of the server clock"
                    + " (at most " + maxClockSkew.toMinutes() + " min allowed)");
        }

        byte[] jpeg = body(bytes);
        BufferedImage image;
        try {
            image = decoder.decode(jpeg);
        } catch (InvalidCropException e) {
            throw new Invalid(e.problem() == InvalidCropException.Problem.WRONG_SIZE ? Reason.BAD_IMAGE_SIZE
                    : Reason.UNDECODABLE_IMAGE, e.getMessage());
        }

        // the database last: junk is refused without a query
        checkSender(message, store);
        switch (cameras.status(store, camera)) {
            case UNKNOWN_STORE -> throw new Invalid(Reason.UNKNOWN_STORE, "store '" + store + "' is not registered");
            case UNKNOWN_CAMERA -> throw new Invalid(Reason.UNKNOWN_CAMERA, "camera '" + camera
                    + "' is not registered in store '" + store + "'");
            case KNOWN -> {
                // fine
            }
        }
        return new CropSighting(store, camera, capturedAt, frameSeq, faceIndex, detScore, quality, duplicateId,
                detectorModel, collectorVersion, jpeg, image);
    }

    /**
     * A remote collector always has a validated user (the server's broker requires authentication and stamps
     * it); only producers inside the server (in-VM, no credentials) have none, and they are trusted.
     */
    private void checkSender(Message message, String store) throws JMSException, Invalid {
        String sender = validatedUser(message);
        if (sender == null) {
            return;
        }
        Optional<String> own = senders.storeOf(sender);
        if (own.isEmpty()) {
            throw new Invalid(Reason.UNKNOWN_SENDER, "the sender '" + abbreviate(sender)
                    + "' is not the collector of any store (no collector_account row)");
        }
        if (!own.get().equals(store)) {
            throw new Invalid(Reason.STORE_MISMATCH, "the sender '" + abbreviate(sender) + "' is the collector of store '"
                    + own.get() + "' but the crop names store '" + store + "'");
        }
    }

    public static String validatedUser(Message m) throws JMSException {
        Object v = m.getObjectProperty(VALIDATED_USER);
        if (v instanceof byte[] b) {
            v = new String(b, StandardCharsets.UTF_8);
        }
        if (v == null) {
            v = m.getStringProperty(JMSX_USER_ID);
        }
        String s = v == null ? null : v.toString();
        return s == null || s.isBlank() ? null : s;
    }

    private static byte[] body(BytesMessage message) throws JMSException, Invalid {
        long length = message.getBodyLength();
        if (length > MAX_BODY_BYTES) {
            throw new Invalid(Reason.OVERSIZED_BODY, "the body has " + length + " bytes; a 112x112 JPEG crop has"
                    + " at most " + MAX_BODY_BYTES);
        }
        byte[] body = message.getBody(byte[].class);
        return body == null ? new byte[0] : body;
    }

    private static String text(Message m, String name, int maxLength) throws JMSException, Invalid {
        Object value = m.getObjectProperty(name);
        if (!(value instanceof String s)) {
            throw wrongType(name, "a string", value);
        }
        if (s.isBlank()) {
            throw invalid(name, "must not be blank", s);
        }
        if (s.length() > maxLength) {
            throw invalid(name, "must have at most " + maxLength + " characters", s);
        }
        return s;
    }

    private static Instant instant(Message m, String name) throws JMSException, Invalid {
        String s = text(m, name, MAX_TEXT_LENGTH);
        Instant plain = plainUtcInstant(s);
        if (plain != null) {
            return plain;
        }
        try {
            if (s.endsWith("Z")) {
                return Instant.parse(s);
            }
        } catch (DateTimeParseException e) {
            // reported below
        }
        throw invalid(name, "must be an ISO-8601 UTC instant such as 2024-11-26T10:05:00Z", s);
    }

    /**
     * The instant of {@code s} when it has the form collectors send ({@code Instant.toString()}:
     * {@code yyyy-MM-ddTHH:mm:ss[.f…]Z}, 1 to 9 fraction digits) and is a valid date and time, as
     * {@link Instant#parse} gives it; else null, and the caller parses it the general way (and reports it when that
     * fails too). {@code Instant.parse} cost about a twentieth of the server's per-crop overhead (async-profiler on
     * the ingest bench); this is a few comparisons.
     */
    static Instant plainUtcInstant(String s) {
        int n = s.length();
        if (n < 20 || n > 30 || n == 21 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(n - 1) != 'Z'
                || (n > 20 && s.charAt(19) != '.')) {
            return null;
        }
        int year = digits(s, 0, 4);
        int month = digits(s, 5, 7);
        int day = digits(s, 8, 10);
        int hour = digits(s, 11, 13);
        int minute = digits(s, 14, 16);
        int second = digits(s, 17, 19);
        int nanos = 0;
        if (n > 20) {
            int fraction = digits(s, 20, n - 1);
            if (fraction < 0) {
                return null;
            }
            nanos = fraction;
            for (int i = n - 1 - 20; i < 9; i++) {
                nanos *= 10;
            }
        }
        if (year < 0 || month < 1 || month > 12 || day < 1
                || (day > 28 && day > YearMonth.of(year, month).lengthOfMonth())
                || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return null; // leap seconds, impossible dates: the general way decides
        }
        long days = LocalDate.of(year, month, day).toEpochDay();
        return Instant.ofEpochSecond(days * 86_400 + hour * 3_600 + minute * 60 + second, nanos);
    }

    /** The decimal number in {@code s[from, to)}, or -1 when a character there is not an ASCII digit. */
    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Integral types widen as JMS allows; a string or a float is refused rather than converted. */
    private static long longValue(Message m, String name) throws JMSException, Invalid {
        Object value = m.getObjectProperty(name);
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        throw wrongType(name, "a long", value);
    }

    private static int intValue(Message m, String name) throws JMSException, Invalid {
        Object value = m.getObjectProperty(name);
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return ((Number) value).intValue();
        }
        throw wrongType(name, "an int", value);
    }

    private static float unitFloat(Message m, String name) throws JMSException, Invalid {
        Object value = m.getObjectProperty(name);
        if (!(value instanceof Float f)) {
            throw wrongType(name, "a float", value);
        }
        if (!(f >= 0f && f <= 1f)) {
            throw invalid(name, "must be between 0 and 1", f);
        }
        return f;
    }

    /** Artemis' core API may carry the duplicate id as bytes; JMS senders set a string. */
    private static String duplicateIdProperty(Message m) throws JMSException, Invalid {
        Object value = m.getObjectProperty(CropContract.DUPLICATE_ID);
        if (value instanceof byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }
        if (value instanceof String s) {
            return s;
        }
        throw wrongType(CropContract.DUPLICATE_ID, "a string", value);
    }

    private static Invalid wrongType(String name, String expected, Object value) {
        return new Invalid(Reason.INVALID_PROPERTY, "property " + name + " must be " + expected + ", not "
                + (value == null ? "null" : value.getClass().getSimpleName() + " '" + abbreviate(value) + "'"));
    }

    private static Invalid invalid(String name, String rule, Object value) {
        return new Invalid(Reason.INVALID_PROPERTY, "property " + name + " " + rule + " (got '" + abbreviate(value)
                + "')");
    }

    private static String abbreviate(Object value) {
        String s = String.valueOf(value);
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    private static String jmsType(Message m) {
        for (Class<?> type : m.getClass().getInterfaces()) {
            if (type.getName().startsWith("jakarta.jms.")) {
                return type.getSimpleName();
            }
        }
        return m.getClass().getSimpleName();
    }
}
