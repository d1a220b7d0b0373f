package com.rva.infrastructure.messaging;

import java.nio.charset.StandardCharsets;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Logger;

import com.rva.application.ingest.IngestMetrics;
import com.rva.contract.CropContract;
import com.rva.domain.CropRejection;
import com.rva.domain.CropRejection.Reason;

import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.BytesMessage;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.TextMessage;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/**
 * Handles a permanently invalid crop (DESIGN §5): records a {@link CropRejection} (rejections are counted by
 * reason) and puts a copy of the message — body, properties and a readable {@code rejectReason} — on
 * {@code rva.crops.rejected}, in the crop's transaction (the message is acknowledged after it commits), so the
 * crop is neither lost nor retried. A crop whose duplicate id already has a rejection is a redelivery of one
 * already handled and is ignored.
 */
@Stateless
public class RejectedCropForwarder {

    /** Machine-readable reason on a rejected message, next to the readable {@link CropContract#REJECT_REASON}. */
    public static final String REJECT_CODE = "rejectCode";
    public static final String REJECTED_AT = "rejectedAt";

    private static final Logger LOG = Logger.getLogger(RejectedCropForwarder.class.getName());

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    /** The pooled XA factory: the send commits or rolls back with the consumed message. */
    @Resource(lookup = "java:/JmsXA")
    private ConnectionFactory connectionFactory;

    @Resource(lookup = "java:/jms/queue/rva.crops.rejected")
    private Queue rejectedQueue;

    @TransactionAttribute(TransactionAttributeType.MANDATORY)
    public void reject(Message original, Reason reason, String detail) throws JMSException {
        String duplicateId = printable(original, CropContract.DUPLICATE_ID);
        String store = printable(original, CropContract.STORE_ID);
        if (duplicateId != null && !em.createNamedQuery(CropRejection.BY_DUPLICATE_ID, CropRejection.class)
                .setParameter("duplicateId", duplicateId).setMaxResults(1).getResultList().isEmpty()) {
            // a redelivery of a crop already rejected and committed, whose acknowledgement was lost (the server
            // died in between, FaceCropConsumer): counted and forwarded once
            LOG.info(() -> "Crop " + duplicateId + " was already rejected; the redelivery is ignored");
            return;
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        em.persist(new CropRejection(reason, detail, duplicateId, store, now));

        try (JMSContext jms = connectionFactory.createContext()) {
            Message copy = copyBody(jms, original, reason);
            List<String> skipped = copyProperties(original, copy);
            copy.setStringProperty(CropContract.REJECT_REASON, reason + ": " + detail);
            copy.setStringProperty(REJECT_CODE, reason.name());
            copy.setStringProperty(REJECTED_AT, now.toInstant(ZoneOffset.UTC).toString());
            if (!skipped.isEmpty()) {
                copy.setStringProperty("rejectSkippedProperties", String.join(",", skipped));
            }
            if (original.getJMSCorrelationID() != null) {
                copy.setJMSCorrelationID(original.getJMSCorrelationID());
            }
            jms.createProducer().send(rejectedQueue, copy);
        }
        IngestMetrics.rejected(reason);
        LOG.warning(() -> "Rejected crop " + (duplicateId == null ? original : duplicateId) + " (" + reason + "): "
                + detail);
    }

    private static Message copyBody(JMSContext jms, Message original, Reason reason) throws JMSException {
        if (original instanceof BytesMessage bytes) {
            BytesMessage copy = jms.createBytesMessage();
            if (reason == Reason.OVERSIZED_BODY) {
                // not worth keeping: note its size instead
                copy.setLongProperty("rejectOriginalBodyLength", bytes.getBodyLength());
            } else {
                byte[] body = bytes.getBody(byte[].class);
                if (body != null) {
                    copy.writeBytes(body);
                }
            }
            return copy;
        }
        if (original instanceof TextMessage text) {
            return jms.createTextMessage(text.getText());
        }
        // other bodies (object, map, stream) are not deserialised; the properties say where it came from
        Message copy = jms.createMessage();
        copy.setStringProperty("rejectOriginalType", original.getClass().getSimpleName());
        return copy;
    }

    /** Copies the application properties, the duplicate id and the group; broker-internal ones are left out. */
    private static List<String> copyProperties(Message from, Message to) throws JMSException {
        List<String> skipped = new ArrayList<>();
        for (Object n : Collections.list(from.getPropertyNames())) {
            String name = (String) n;
            boolean internal = (name.startsWith("JMSX") && !name.equals(CropContract.GROUP_ID))
                    || (name.startsWith("_AMQ") && !name.equals(CropContract.DUPLICATE_ID))
                    || name.startsWith("JMS_");
            if (internal) {
                continue;
            }
            Object value = from.getObjectProperty(name);
            if (value instanceof byte[] b) {
                value = new String(b, StandardCharsets.UTF_8);
            }
            try {
                to.setObjectProperty(name, value);
            } catch (JMSException | RuntimeException e) {
                skipped.add(name);
            }
        }
        return skipped;
    }

    private static String printable(Message m, String name) {
        try {
            Object value = m.getObjectProperty(name);
            if (value instanceof byte[] b) {
                return new String(b, StandardCharsets.UTF_8);
            }
            return value == null ? null : value.toString();
        } catch (JMSException e) {
            return null;
        }
    }
}
