package com.rva.collector.send;

import com.rva.contract.CropContract;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends crops to {@value CropContract#CROPS_QUEUE}, one {@code BytesMessage} per face, one transaction
 * per frame, from a single background thread that drains the {@link CropBacklog}.
 *
 * <p>When the server is unreachable the crops wait in the bounded in-memory backlog and the sender
 * retries with exponential back-off, reconnecting after a broken connection. A frame whose commit
 * outcome is unknown is sent again; the broker drops the copy by its {@code _AMQ_DUPL_ID}.
 *
 * <p>Not yet done: DESIGN §3 wants store-and-forward through an embedded Artemis broker with a
 * persistent journal and a core bridge, so crops survive a collector restart during an outage. That
 * comes in a later issue; until then a restart loses the in-memory backlog (the count is logged).
 */
public final class CropSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(CropSender.class);

    private final ConnectionFactory factory;
    private final String queueName;
    private final CropBacklog backlog;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Map<String, AtomicLong> sentByCamera = new ConcurrentHashMap<>();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final Thread thread;

    private volatile boolean running = true;
    private volatile boolean connectionBroken;
    /** True from a failed send until the next successful one. */
    private volatile boolean failing;
    private volatile List<OutgoingCrop> inFlight = List.of();
    private Connection connection;
    private Session session;
    private MessageProducer producer;

    /**
     * @param factory        where to send; its user and password are the collector's credentials
     * @param queueName      normally {@link CropContract#CROPS_QUEUE}
     * @param initialBackoff first wait after a failure; doubled per failure up to {@code maxBackoff}
     */
    public CropSender(ConnectionFactory factory, String queueName, CropBacklog backlog, Duration initialBackoff,
            Duration maxBackoff) {
        this.factory = factory;
        this.queueName = queueName;
        this.backlog = backlog;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.thread = new Thread(this::run, "crop-sender");
        this.thread.setDaemon(true);
    }

    /** The Artemis connection factory for a server URL (credentials are kept by the factory, never logged). */
    public static ConnectionFactory connectionFactory(String serverUrl, String user, String password,
            boolean legacyQueuePrefix) {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(serverUrl, user, password);
        if (!serverUrl.contains("enable1xPrefixes=")) {
            cf.setEnable1xPrefixes(legacyQueuePrefix); // an explicit URL parameter wins
        }
        return cf;
    }

    public CropSender start() {
        thread.start();
        return this;
    }

    /** Queues one frame's crops for sending; never blocks on the network. */
    public void submit(List<OutgoingCrop> frame) {
        if (frame.isEmpty()) {
            return;
        }
        int dropped = backlog.offer(frame);
        if (dropped > 0) {
            LOG.warn("Backlog full ({} crops): dropped the {} oldest crop(s); {} dropped since start",
                    backlog.maxCrops(), dropped, backlog.dropped());
        }
    }

    public CropBacklog backlog() {
        return backlog;
    }

    /** Crops committed to the server since start. */
    public long sent() {
        return sent.get();
    }

    /** Crops the broker refused as already delivered (a resend after a lost commit reply). */
    public long duplicates() {
        return duplicates.get();
    }

    public long sentFor(String cameraId) {
        AtomicLong n = sentByCamera.get(cameraId);
        return n == null ? 0 : n.get();
    }

    /** Crops waiting: in the backlog plus the frame being sent. */
    public int pending() {
        return backlog.size() + inFlight.size();
    }

    private void run() {
        Duration backoff = initialBackoff;
        while (running) {
            List<OutgoingCrop> frame;
            try {
                frame = backlog.takeFrame(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (frame.isEmpty()) {
                continue;
            }
            inFlight = frame;
            try {
                send(frame);
                inFlight = List.of();
                if (failing) {
                    LOG.info("Server reachable again at the configured server.url; {} crop(s) still in the backlog",
                            backlog.size());
                    failing = false;
                }
                backoff = initialBackoff;
            } catch (JMSException | RuntimeException e) {
                int dropped = backlog.putBack(frame);
                inFlight = List.of();
                if (dropped > 0) {
                    LOG.warn("Backlog full ({} crops): dropped the {} oldest crop(s); {} dropped since start",
                            backlog.maxCrops(), dropped, backlog.dropped());
                }
                disconnect();
                if (!failing) {
                    LOG.warn("Cannot send crops to the server ({}){}; keeping them in the backlog ({} crops) and retrying",
                            describe(e), e instanceof JMSSecurityException
                                    ? " - check server.user and server.password" : "", backlog.size());
                    failing = true;
                } else {
                    LOG.debug("Still cannot send crops ({}); retry in {} ms, backlog {}", describe(e),
                            backoff.toMillis(), backlog.size());
                }
                if (!sleep(backoff)) {
                    break;
                }
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
        disconnect();
    }

    private void send(List<OutgoingCrop> frame) throws JMSException {
        if (connectionBroken) {
            disconnect();
        }
        if (session == null) {
            connect();
        }
        try {
            for (OutgoingCrop crop : frame) {
                producer.send(message(crop));
            }
            session.commit();
        } catch (JMSException | RuntimeException e) {
            try {
                session.rollback();
            } catch (JMSException | RuntimeException ignored) {
                // the connection is gone anyway; the frame is resent and de-duplicated by the broker
            }
            if (isDuplicate(e)) {
                // an earlier attempt was committed but its reply was lost: the broker has this frame already
                duplicates.addAndGet(frame.size());
                LOG.info("Frame {} of camera {} was already delivered (the broker reports its duplicate id); not resent",
                        frame.get(0).frameSeq(), frame.get(0).cameraId());
                return;
            }
            throw e;
        }
        for (OutgoingCrop crop : frame) {
            sentByCamera.computeIfAbsent(crop.cameraId(), k -> new AtomicLong()).incrementAndGet();
        }
        sent.addAndGet(frame.size());
        LOG.debug("Sent frame {}/{} #{}: {} crop(s)", frame.get(0).storeId(), frame.get(0).cameraId(),
                frame.get(0).frameSeq(), frame.size());
    }

    private BytesMessage message(OutgoingCrop crop) throws JMSException {
        BytesMessage m = session.createBytesMessage();
        m.writeBytes(crop.jpeg());
        m.setStringProperty(CropContract.STORE_ID, crop.storeId());
        m.setStringProperty(CropContract.CAMERA_ID, crop.cameraId());
        m.setStringProperty(CropContract.CAPTURED_AT, isoUtc(crop.capturedAt()));
        m.setLongProperty(CropContract.FRAME_SEQ, crop.frameSeq());
        m.setIntProperty(CropContract.FACE_INDEX, crop.faceIndex());
        m.setFloatProperty(CropContract.DET_SCORE, crop.detScore());
        m.setFloatProperty(CropContract.QUALITY, crop.quality());
        m.setStringProperty(CropContract.DETECTOR_MODEL, crop.detectorModel());
        m.setStringProperty(CropContract.COLLECTOR_VERSION, crop.collectorVersion());
        m.setStringProperty(CropContract.DUPLICATE_ID, crop.duplicateId());
        m.setStringProperty(CropContract.GROUP_ID, crop.storeId());
        return m;
    }

    /** ISO-8601 in UTC with {@code Z}, millisecond precision. */
    static String isoUtc(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    private void connect() throws JMSException {
        Connection c = factory.createConnection();
        try {
            c.setExceptionListener(e -> {
                connectionBroken = true;
                LOG.debug("Connection to the server broke: {}", describe(e));
            });
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queueName));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            c.start();
            connection = c;
            session = s;
            producer = p;
            connectionBroken = false;
            LOG.info("Connected to the server; sending crops to queue {}", queueName);
        } catch (JMSException | RuntimeException e) {
            closeQuietly(c);
            throw e;
        }
    }

    private void disconnect() {
        if (connection != null) {
            closeQuietly(connection);
        }
        connection = null;
        session = null;
        producer = null;
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing a broken connection failed: {}", e.toString());
        }
    }

    private static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ActiveMQDuplicateIdException) {
                return true;
            }
        }
        return false;
    }

    private static String describe(Throwable e) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName()).append(": ").append(e.getMessage());
        Throwable cause = e.getCause();
        if (cause != null && cause != e) {
            sb.append(" (").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage()).append(')');
        }
        return sb.toString();
    }

    private boolean sleep(Duration d) {
        long end = System.nanoTime() + d.toNanos();
        while (running) {
            long left = end - System.nanoTime();
            if (left <= 0) {
                return true;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)));
            } catch (InterruptedException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Gives the sender up to {@code drainTimeout} to empty the backlog, then stops. Crops still waiting
     * are lost (logged) until store-and-forward arrives.
     */
    public void close(Duration drainTimeout) {
        long deadline = System.nanoTime() + drainTimeout.toNanos();
        // waiting only helps while the server is reachable
        while (thread.isAlive() && pending() > 0 && !failing && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        int left = pending();
        if (left > 0) {
            LOG.warn("Stopping with {} unsent crop(s) in the in-memory backlog; they are lost", left);
        }
        LOG.info("Crop sender stopped: {} crop(s) sent, {} dropped while the backlog was full", sent.get(),
                backlog.dropped());
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
