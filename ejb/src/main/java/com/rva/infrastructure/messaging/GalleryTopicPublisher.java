package com.rva.infrastructure.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.rva.application.ingest.ClusterNode;
import com.rva.application.ingest.GalleryChange;

import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSProducer;
import jakarta.jms.Topic;

/**
 * Sends the gallery changes this node committed to the topic {@code rva.gallery}, for the other nodes of a cluster
 * ({@code GalleryChangeConsumer} there). The event arrives after the commit, on the committing thread (a crop's
 * consumer): it is only queued there, and a task of the managed executor drains the queue, so ingest never waits for
 * the broker and its transaction stays one-resource. Changes queued together go as one message (up to
 * {@value #IDS_PER_MESSAGE} ids; reason {@code BATCH} when they differ).
 * Messages are non-persistent with a time to live: a node that is down misses them and loads the truth from the
 * database at its next start anyway.
 */
@ApplicationScoped
public class GalleryTopicPublisher {

    /** Message property: the {@link ClusterNode#id()} of the sender. */
    public static final String NODE = "rvaNode";
    /** Message property: the {@link GalleryChange.Reason}. */
    public static final String REASON = "rvaReason";
    /** Most ids put in one message when queued changes are sent together. */
    static final int IDS_PER_MESSAGE = 5_000;
    private static final long TIME_TO_LIVE_MS = 10 * 60_000L;

    private static final Logger LOG = Logger.getLogger(GalleryTopicPublisher.class.getName());

    @Resource(lookup = "java:/JmsXA")
    private ConnectionFactory connectionFactory;

    @Resource(lookup = "java:/jms/topic/rva.gallery")
    private Topic topic;

    @Resource
    private ManagedExecutorService executor;

    private final ConcurrentLinkedQueue<GalleryChange> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final LongAdder sent = new LongAdder();
    private final LongAdder failed = new LongAdder();

    void onChange(@Observes GalleryChange change) {
        queue.add(change);
        if (draining.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RuntimeException e) { // shutting down: the other nodes load from the database at their start
                draining.set(false);
                LOG.log(Level.WARNING, "Cannot send gallery changes to the other nodes", e);
            }
        }
    }

    /** Messages sent, and changes that could not be sent (logged). */
    public long sent() {
        return sent.sum();
    }

    public long failed() {
        return failed.sum();
    }

    private void drain() {
        do {
            try {
                List<GalleryChange> batch = new ArrayList<>();
                for (GalleryChange c; (c = queue.poll()) != null;) {
                    batch.add(c);
                }
                if (!batch.isEmpty()) {
                    send(batch);
                }
            } finally {
                draining.set(false);
            }
            // a change queued after the poll and before the flag was cleared is drained here
        } while (!queue.isEmpty() && draining.compareAndSet(false, true));
    }

    private void send(List<GalleryChange> batch) {
        List<GalleryChange> messages = coalesce(batch, IDS_PER_MESSAGE);
        try (JMSContext context = connectionFactory.createContext()) {
            JMSProducer producer = context.createProducer().setDeliveryMode(DeliveryMode.NON_PERSISTENT)
                    .setTimeToLive(TIME_TO_LIVE_MS).setProperty(NODE, ClusterNode.id());
            for (GalleryChange m : messages) {
                producer.setProperty(REASON, m.reason().name()).send(topic, m.body());
                sent.increment();
            }
        } catch (RuntimeException e) {
            failed.add(batch.size());
            LOG.log(Level.WARNING, "Could not send " + batch.size() + " gallery change(s) to the other nodes (" + failed.sum()
                    + " so far); they see them at their next start", e);
        }
    }

    /** Changes sent together: consecutive ones merge into one message of up to {@code maxIds} ids. */
    static List<GalleryChange> coalesce(List<GalleryChange> changes, int maxIds) {
        List<GalleryChange> out = new ArrayList<>();
        GalleryChange.Reason reason = null;
        List<Long> ids = new ArrayList<>();
        for (GalleryChange c : changes) {
            if (!ids.isEmpty() && ids.size() + c.templateIds().size() > maxIds) {
                out.add(GalleryChange.of(reason, ids));
                ids = new ArrayList<>();
                reason = null;
            }
            reason = reason == null ? c.reason() : reason == c.reason() ? reason : GalleryChange.Reason.BATCH;
            ids.addAll(c.templateIds());
        }
        if (!ids.isEmpty()) {
            out.add(GalleryChange.of(reason, ids));
        }
        return out;
    }
}
