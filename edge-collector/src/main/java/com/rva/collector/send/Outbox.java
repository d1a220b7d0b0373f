package com.rva.collector.send;

import com.rva.contract.CropContract;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.activemq.artemis.api.core.ActiveMQDuplicateIdException;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.BridgeConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.message.impl.CoreMessage;
import org.apache.activemq.artemis.core.persistence.OperationContext;
import org.apache.activemq.artemis.core.persistence.StorageManager;
import org.apache.activemq.artemis.core.postoffice.RoutingStatus;
import org.apache.activemq.artemis.core.server.ActiveMQServer;
import org.apache.activemq.artemis.core.server.ComponentConfigurationRoutingType;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.cluster.Bridge;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.transaction.Transaction;
import org.apache.activemq.artemis.core.transaction.impl.TransactionImpl;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.utils.UUIDGenerator;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Store-and-forward (DESIGN §3): an embedded Artemis broker with a persistent journal under
 * {@code <state.dir>/outbox}, reachable only in-VM, and a core bridge from its {@code rva.crops} queue to the
 * server's crops queue (reconnect forever). A crop is safe once {@link #send} returns: it is in the local
 * journal (fsynced at commit) and the bridge forwards it whenever the server can be reached, across server
 * outages and collector restarts. Each crop carries its duplicate id ({@code _AMQ_DUPL_ID}), so a crop sent
 * twice — by the bridge after a lost acknowledgement, or by the collector re-reading a frame after a crash —
 * is stored once, both here and on the server.
 *
 * <p>Disk cap: when the crops waiting in the outbox occupy {@code outbox.max-mb} or more, the crops of new
 * frames are <em>dropped</em> (the oldest are kept: they are already safe and go first when the server comes
 * back). Every dropped crop is counted per camera and reported in the log, {@code /metrics} and the heartbeat.
 */
public final class Outbox implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    private static final String SERVER_CONNECTOR = "server";
    static final String CROPS_BRIDGE = "crops-to-server";
    static final String HEARTBEATS_BRIDGE = "heartbeats-to-server";

    /** Thrown when a frame's crops do not fit under the disk cap; they were not stored. */
    public static final class FullException extends Exception {
        private static final long serialVersionUID = 1L;

        FullException(String message) {
            super(message);
        }
    }

    private final EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    private final ActiveMQConnectionFactory local;
    private final long maxBytes;
    private final Map<String, AtomicLong> enqueuedByCamera = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> droppedByCamera = new ConcurrentHashMap<>();
    private final AtomicLong replayed = new AtomicLong();
    private Connection connection;
    private Session session;
    private MessageProducer heartbeats;
    private String lastFull;
    /** The journal operations of {@link #store} (guarded by this). */
    private OperationContext context;

    /**
     * @param dir               the broker's folder (journal, bindings, paging); must survive restarts
     * @param serverUrl         Artemis URL of the server, e.g. {@code tcp://host:8080?httpUpgradeEnabled=true}
     * @param legacyQueuePrefix WildFly keeps JMS queues at {@code jms.queue.<name>}
     * @param maxBytes          the disk cap for crops waiting to be forwarded
     */
    public Outbox(Path dir, String serverUrl, String user, String password, boolean legacyQueuePrefix, long maxBytes)
            throws Exception {
        this.maxBytes = maxBytes;
        String vmId = String.valueOf(INSTANCES.incrementAndGet() + 1000 * (ProcessHandle.current().pid() % 1000));
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("rva-collector-outbox");
        config.setPersistenceEnabled(true);
        // only this process talks to the outbox: no network listener, so no security needed
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setJournalType(JournalType.NIO); // no native library needed on store PCs
        config.setJournalDirectory(dir.resolve("journal").toString());
        config.setBindingsDirectory(dir.resolve("bindings").toString());
        config.setPagingDirectory(dir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        config.setJournalFileSize(1024 * 1024);
        config.setJournalMinFiles(2);
        config.setJournalSyncTransactional(true);
        config.setJournalSyncNonTransactional(true);
        config.setPersistIDCache(true);
        // the disk cap is ours (outbox.max-mb); Artemis' own check would block producers instead of reporting
        config.setMaxDiskUsage(-1);
        config.addAcceptorConfiguration("in-vm", "vm://" + vmId);
        config.addConnectorConfiguration(SERVER_CONNECTOR, serverUrl);
        config.addAddressSetting("#", new AddressSettings()
                .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                .setMaxSizeBytes(8L * 1024 * 1024)
                .setAutoCreateAddresses(false)
                .setAutoCreateQueues(false));
        for (String queue : List.of(CropContract.CROPS_QUEUE, CropContract.HEARTBEATS_QUEUE)) {
            config.addQueueConfiguration(QueueConfiguration.of(queue).setAddress(queue)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        String prefix = legacyQueuePrefix ? "jms.queue." : "";
        config.getBridgeConfigurations().add(bridge(CROPS_BRIDGE, CropContract.CROPS_QUEUE,
                prefix + CropContract.CROPS_QUEUE, user, password));
        config.getBridgeConfigurations().add(bridge(HEARTBEATS_BRIDGE, CropContract.HEARTBEATS_QUEUE,
                prefix + CropContract.HEARTBEATS_QUEUE, user, password));
        broker.setConfiguration(config);
        broker.start();
        try {
            local = new ActiveMQConnectionFactory("vm://" + vmId);
            connection = local.createConnection();
            session = connection.createSession(true, Session.SESSION_TRANSACTED);
            heartbeats = session.createProducer(session.createQueue(CropContract.HEARTBEATS_QUEUE));
            heartbeats.setDeliveryMode(DeliveryMode.PERSISTENT);
            // a heartbeat older than an hour says nothing the next one does not
            heartbeats.setTimeToLive(3_600_000L);
            connection.start();
        } catch (JMSException | RuntimeException e) {
            broker.stop();
            throw e;
        }
        long waiting = backlog();
        LOG.info("Outbox {} opened: {} crop(s) waiting to be forwarded, cap {} MB", dir, waiting,
                maxBytes / (1024 * 1024));
    }

    private static BridgeConfiguration bridge(String name, String queue, String forwardingAddress, String user,
            String password) {
        return new BridgeConfiguration()
                .setName(name)
                .setQueueName(queue)
                .setForwardingAddress(forwardingAddress)
                .setRoutingType(ComponentConfigurationRoutingType.ANYCAST)
                .setStaticConnectors(List.of(SERVER_CONNECTOR))
                .setUser(user)
                .setPassword(password)
                .setHA(false)
                .setInitialConnectAttempts(-1)
                .setReconnectAttempts(-1)
                .setRetryInterval(1000)
                .setRetryIntervalMultiplier(2.0)
                .setMaxRetryInterval(30_000)
                // the bridge adds its own duplicate id too; our messages carry the contract's _AMQ_DUPL_ID
                .setUseDuplicateDetection(true)
                .setConfirmationWindowSize(1024 * 1024);
    }

    /**
     * Stores one frame's crops in the local journal, in one transaction. Returns once they are on disk.
     *
     * @return the number of crops stored: {@code frame.size()}, or 0 when the outbox had them already (the same
     *         frame re-read after a crash — the duplicate ids matched)
     * @throws FullException when the outbox is at its disk cap; the crops are counted as dropped
     * @throws JMSException  when the local broker fails; nothing was stored and the frame may be tried again
     */
    public synchronized int send(List<OutgoingCrop> frame) throws FullException, JMSException {
        if (frame.isEmpty()) {
            return 0;
        }
        long size = cropsQueue().getPersistentSize();
        if (size >= maxBytes) {
            for (OutgoingCrop c : frame) {
                droppedByCamera.computeIfAbsent(c.cameraId(), k -> new AtomicLong()).incrementAndGet();
            }
            throw new FullException("the outbox holds " + size / 1024 + " kB, at its cap of " + maxBytes / 1024
                    + " kB (outbox.max-mb): the server has been unreachable for long; " + frame.size()
                    + " new crop(s) dropped, " + dropped() + " since start");
        }
        try {
            store(List.of(frame));
        } catch (JMSException | RuntimeException e) {
            if (isDuplicate(e)) {
                replayed.addAndGet(frame.size());
                LOG.info("Frame #{} of camera {} is in the outbox already (re-read after a restart); not stored twice",
                        frame.get(0).frameSeq(), frame.get(0).cameraId());
                return 0;
            }
            throw e;
        }
        enqueuedByCamera.computeIfAbsent(frame.get(0).cameraId(), k -> new AtomicLong()).addAndGet(frame.size());
        return frame.size();
    }

    /** What became of one frame's crops in {@link #sendAll}. */
    public enum Outcome {
        /** In the local journal (or the frame had no crops). */
        STORED,
        /** The outbox held them already (the frame was re-read after a restart): not stored twice. */
        REPLAYED,
        /** Not stored: the outbox is at its disk cap; counted as dropped. */
        DROPPED
    }

    /**
     * Stores the crops of several frames in the local journal in <em>one</em> transaction (one journal sync for
     * all of them). Returns once they are on disk. When the transaction meets a duplicate id (a frame re-read after
     * a restart) it is rolled back and the frames are stored one transaction each, so the duplicate frame does not
     * take the others with it.
     *
     * @return one outcome per frame, in order
     * @throws JMSException when the local broker fails; nothing was stored and the frames may be tried again
     */
    public synchronized List<Outcome> sendAll(List<List<OutgoingCrop>> frames) throws JMSException {
        List<Outcome> outcomes = new java.util.ArrayList<>(frames.size());
        int crops = frames.stream().mapToInt(List::size).sum();
        if (crops == 0) {
            frames.forEach(f -> outcomes.add(Outcome.STORED));
            return outcomes;
        }
        if (cropsQueue().getPersistentSize() >= maxBytes) {
            for (List<OutgoingCrop> frame : frames) {
                try {
                    send(frame);
                    outcomes.add(Outcome.STORED); // cannot happen while full, but stays correct if it drained
                } catch (FullException e) {
                    lastFull = e.getMessage();
                    outcomes.add(Outcome.DROPPED);
                }
            }
            return outcomes;
        }
        try {
            store(frames);
        } catch (JMSException | RuntimeException e) {
            if (!isDuplicate(e)) {
                throw e;
            }
            outcomes.clear();
            for (List<OutgoingCrop> frame : frames) {
                try {
                    outcomes.add(frame.isEmpty() || send(frame) == frame.size() ? Outcome.STORED : Outcome.REPLAYED);
                } catch (FullException full) {
                    lastFull = full.getMessage();
                    outcomes.add(Outcome.DROPPED);
                }
            }
            return outcomes;
        }
        for (List<OutgoingCrop> frame : frames) {
            if (!frame.isEmpty()) {
                enqueuedByCamera.computeIfAbsent(frame.get(0).cameraId(), k -> new AtomicLong()).addAndGet(frame.size());
            }
            outcomes.add(Outcome.STORED);
        }
        return outcomes;
    }

    /** The message of the last time {@link #sendAll} dropped a frame's crops at the cap (for the log). */
    public synchronized String lastFull() {
        return lastFull;
    }

    /** Queues a heartbeat (JSON) for the server; a full outbox does not stop heartbeats (they are tiny). */
    public synchronized void sendHeartbeat(String json, String storeId, String collectorId) throws JMSException {
        TextMessage m = session.createTextMessage(json);
        m.setStringProperty(CropContract.STORE_ID, storeId);
        m.setStringProperty("collectorId", collectorId);
        heartbeats.send(m);
        try {
            session.commit();
        } catch (JMSException | RuntimeException e) {
            session.rollback();
            throw e;
        }
    }

    /**
     * Routes the crops into the outbox's queue in one broker transaction and returns once its commit record is
     * synced to the journal: the crops are then as safe as after a JMS session commit (same journal, same sync, same
     * duplicate-id check and persisted id cache), without a JMS client, in-VM transport and session round trip per
     * crop. The message is what a JMS {@code BytesMessage} producer sends (type, durable, priority, timestamp,
     * message id, properties, the JPEG as the body), so the bridge and the server see no difference.
     *
     * @throws JMSException when the broker refuses or fails (nothing stored); caused by an
     *                      {@link ActiveMQDuplicateIdException} when a crop's duplicate id is in the outbox already
     */
    private void store(List<List<OutgoingCrop>> frames) throws JMSException {
        ActiveMQServer s = server();
        StorageManager storage = s.getStorageManager();
        if (context == null) {
            // this outbox's own: the broker's per-thread default would outlive a broker restarted in this JVM
            context = storage.newContext(s.getExecutorFactory().getExecutor());
        }
        storage.setContext(context);
        Transaction tx = new TransactionImpl(storage);
        try {
            for (List<OutgoingCrop> frame : frames) {
                for (OutgoingCrop crop : frame) {
                    RoutingStatus status = s.getPostOffice().route(message(storage, crop), tx, false);
                    if (status != RoutingStatus.OK) {
                        // DUPLICATED_ID marked the transaction rollback-only: its commit throws the duplicate error
                        if (status != RoutingStatus.DUPLICATED_ID) {
                            throw new IllegalStateException("the outbox queue " + CropContract.CROPS_QUEUE
                                    + " did not take a crop: " + status);
                        }
                    }
                }
            }
            tx.commit();
            if (!storage.waitOnOperations(JOURNAL_WAIT_MS)) {
                throw new IllegalStateException("the outbox journal did not confirm a commit within "
                        + JOURNAL_WAIT_MS / 1000 + " s");
            }
        } catch (Exception e) {
            if (tx.getState() == Transaction.State.ACTIVE || tx.getState() == Transaction.State.ROLLBACK_ONLY) {
                try {
                    tx.rollback();
                } catch (Exception ignored) {
                    // rolled back already
                }
            }
            JMSException j = new JMSException("the outbox could not store " + frames.stream().mapToInt(List::size)
                    .sum() + " crop(s): " + e);
            j.setLinkedException(e);
            j.initCause(e);
            throw j;
        } finally {
            storage.clearContext();
        }
    }

    private static final long JOURNAL_WAIT_MS = 60_000;
    private static final SimpleString CROPS_ADDRESS = SimpleString.of(CropContract.CROPS_QUEUE);
    private static final SimpleString STORE_ID = SimpleString.of(CropContract.STORE_ID);
    private static final SimpleString CAMERA_ID = SimpleString.of(CropContract.CAMERA_ID);
    private static final SimpleString CAPTURED_AT = SimpleString.of(CropContract.CAPTURED_AT);
    private static final SimpleString FRAME_SEQ = SimpleString.of(CropContract.FRAME_SEQ);
    private static final SimpleString FACE_INDEX = SimpleString.of(CropContract.FACE_INDEX);
    private static final SimpleString DET_SCORE = SimpleString.of(CropContract.DET_SCORE);
    private static final SimpleString QUALITY = SimpleString.of(CropContract.QUALITY);
    private static final SimpleString DETECTOR_MODEL = SimpleString.of(CropContract.DETECTOR_MODEL);
    private static final SimpleString COLLECTOR_VERSION = SimpleString.of(CropContract.COLLECTOR_VERSION);
    private static final SimpleString DUPLICATE_ID = SimpleString.of(CropContract.DUPLICATE_ID);
    /** The JMS default priority, as a JMS producer sets it. */
    private static final byte JMS_DEFAULT_PRIORITY = 4;

    /** A crop as the JMS BytesMessage the server's consumer reads (the JPEG written once, into the body). */
    private static CoreMessage message(StorageManager storage, OutgoingCrop crop) {
        byte[] jpeg = crop.jpeg();
        CoreMessage m = new CoreMessage(storage.generateID(), jpeg.length + 512);
        m.setType(Message.BYTES_TYPE);
        m.setDurable(true);
        m.setAddress(CROPS_ADDRESS);
        m.setRoutingType(RoutingType.ANYCAST);
        m.setPriority(JMS_DEFAULT_PRIORITY);
        m.setTimestamp(System.currentTimeMillis());
        m.setUserID(UUIDGenerator.getInstance().generateUUID());
        m.getBodyBuffer().writeBytes(jpeg);
        m.putStringProperty(STORE_ID, SimpleString.of(crop.storeId()));
        m.putStringProperty(CAMERA_ID, SimpleString.of(crop.cameraId()));
        m.putStringProperty(CAPTURED_AT, SimpleString.of(isoUtc(crop.capturedAt())));
        m.putLongProperty(FRAME_SEQ, crop.frameSeq());
        m.putIntProperty(FACE_INDEX, crop.faceIndex());
        m.putFloatProperty(DET_SCORE, crop.detScore());
        m.putFloatProperty(QUALITY, crop.quality());
        m.putStringProperty(DETECTOR_MODEL, SimpleString.of(crop.detectorModel()));
        m.putStringProperty(COLLECTOR_VERSION, SimpleString.of(crop.collectorVersion()));
        m.putStringProperty(DUPLICATE_ID, SimpleString.of(crop.duplicateId()));
        // JMSXGroupID is the core header _AMQ_GROUP_ID (the JMS client maps the name)
        m.setGroupID(SimpleString.of(crop.storeId()));
        return m;
    }

    /** ISO-8601 in UTC with {@code Z}, millisecond precision. */
    static String isoUtc(Instant t) {
        return DateTimeFormatter.ISO_INSTANT.format(t.truncatedTo(ChronoUnit.MILLIS));
    }

    private static boolean isDuplicate(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ActiveMQDuplicateIdException) {
                return true;
            }
        }
        return false;
    }

    private ActiveMQServer server() {
        return broker.getActiveMQServer();
    }

    private Queue cropsQueue() {
        return server().locateQueue(CropContract.CROPS_QUEUE);
    }

    /** Crops waiting to be forwarded (stored here, not yet acknowledged by the server). */
    public long backlog() {
        return cropsQueue().getMessageCount();
    }

    /** Bytes the waiting crops occupy. */
    public long backlogBytes() {
        return cropsQueue().getPersistentSize();
    }

    /** Capture time of the oldest crop not yet acknowledged by the server, or null when none waits. */
    public Instant oldestUndelivered() {
        Queue q = cropsQueue();
        Instant oldest = null;
        try (LinkedListIterator<MessageReference> it = q.browserIterator()) {
            // the queue is in capture order per camera; a few heads are enough to find the oldest
            for (int i = 0; i < 64 && it.hasNext(); i++) {
                Object v = it.next().getMessage().getObjectProperty(CropContract.CAPTURED_AT);
                if (v != null) {
                    try {
                        Instant t = Instant.parse(v.toString());
                        if (oldest == null || t.isBefore(oldest)) {
                            oldest = t;
                        }
                    } catch (RuntimeException ignored) {
                        // only our own messages are here
                    }
                }
            }
        } catch (Exception e) {
            LOG.debug("Cannot browse the outbox: {}", e.toString());
        }
        return oldest;
    }

    /** Crops the server acknowledged through the bridge since start. */
    public long forwarded() {
        Bridge b = server().getClusterManager().getBridges().get(CROPS_BRIDGE);
        return b == null ? 0 : b.getMetrics().getMessagesAcknowledged();
    }

    /** Whether the crops bridge is connected to the server now. */
    public boolean connected() {
        Bridge b = server().getClusterManager().getBridges().get(CROPS_BRIDGE);
        if (b == null || !b.isConnected()) {
            return false;
        }
        // the bridge keeps its session object while it reconnects: ask the connection itself
        var connection = b.getForwardingConnection();
        return connection != null && !connection.isDestroyed() && connection.getTransportConnection() != null
                && connection.getTransportConnection().isOpen();
    }

    public long enqueuedFor(String cameraId) {
        AtomicLong n = enqueuedByCamera.get(cameraId);
        return n == null ? 0 : n.get();
    }

    public long enqueued() {
        return enqueuedByCamera.values().stream().mapToLong(AtomicLong::get).sum();
    }

    public long droppedFor(String cameraId) {
        AtomicLong n = droppedByCamera.get(cameraId);
        return n == null ? 0 : n.get();
    }

    /** Crops dropped at the disk cap since start. */
    public long dropped() {
        return droppedByCamera.values().stream().mapToLong(AtomicLong::get).sum();
    }

    /** Crops of frames re-read after a restart that the outbox already held. */
    public long replayed() {
        return replayed.get();
    }

    public long maxBytes() {
        return maxBytes;
    }

    @Override
    public synchronized void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing the outbox connection failed: {}", e.toString());
        }
        try {
            local.close();
        } catch (RuntimeException e) {
            LOG.debug("Closing the outbox factory failed: {}", e.toString());
        }
        long waiting = -1;
        try {
            waiting = backlog();
        } catch (RuntimeException e) {
            // reported as unknown
        }
        try {
            broker.stop();
        } catch (Exception e) {
            LOG.warn("Stopping the outbox broker failed: {}", e.toString());
        }
        LOG.info("Outbox closed: {} crop(s) stay in it and are forwarded after the next start", waiting);
    }
}
