package com.rva.infrastructure.messaging;

import java.util.logging.Logger;

import com.rva.application.ingest.IngestMetrics;
import com.rva.contract.CropContract;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * Consumes face crops from {@code rva.crops} (DESIGN §5, §6). A permanently invalid crop is moved to
 * {@code rva.crops.rejected} and the delivery succeeds; any other failure (database down, ...) propagates,
 * the transaction rolls back and the broker redelivers, moving the message to {@code rva.crops.dlq} after
 * its max delivery attempts. Crops of one store come in order (message group = store).
 * <p>
 * <b>No two-phase commit.</b> The message is received outside a transaction; {@link CropIngestion#handle} runs the
 * whole crop in a transaction of the datasource alone (one resource: committed in one phase, no transaction log)
 * and the message is acknowledged after that commit. Exactly once still holds (docs/recognition.md, "Ingest
 * benchmark"): if the server dies or the acknowledgement is lost between the commit and the acknowledgement, the
 * broker redelivers a crop that is already stored, and the duplicate check (a sighting with its duplicate id
 * exists; {@code sighting.duplicate_id} is unique) ignores it, while a rejection already recorded for the duplicate
 * id is not counted or forwarded again; if anything fails before the commit, the transaction rolls back and the
 * exception reaches the resource adapter, which rolls the delivery back: redelivered, dead-lettered after the
 * last attempt, as before.
 */
@MessageDriven(name = "FaceCropConsumer", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "java:/jms/queue/rva.crops"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class FaceCropConsumer implements MessageListener {

    private static final Logger LOG = Logger.getLogger(FaceCropConsumer.class.getName());

    /** A pause longer than this between two deliveries on one thread is an idle queue, not delivery cost. */
    private static final long IDLE_NANOS = 1_000_000_000L;

    /** When this consumer thread's last delivery ended (0: none yet). */
    private static final ThreadLocal<long[]> LAST_END = ThreadLocal.withInitial(() -> new long[1]);

    @EJB
    private CropIngestion handler;

    @Override
    public void onMessage(Message message) {
        long start = System.nanoTime();
        long lastEnd = LAST_END.get()[0];
        if (lastEnd != 0 && start - lastEnd < IDLE_NANOS) {
            IngestMetrics.time(IngestMetrics.Phase.BETWEEN_DELIVERIES, start - lastEnd);
        }
        try {
            handler.handle(message);
            long end = System.nanoTime();
            IngestMetrics.time(IngestMetrics.Phase.COMMIT, end - CropIngestion.BODY_END.get()[0]);
        } catch (RuntimeException e) {
            throw retry(message, e);
        } finally {
            LAST_END.get()[0] = System.nanoTime();
        }
    }

    private static RuntimeException retry(Message message, Exception e) {
        String id = describe(message);
        LOG.warning(() -> "Crop " + id + " failed and will be redelivered (or dead-lettered after the"
                + " last attempt): " + rootMessage(e));
        return e instanceof RuntimeException r ? r : new EJBException("Crop " + id + " failed", e);
    }

    private static String describe(Message message) {
        try {
            return message.getObjectProperty(CropContract.DUPLICATE_ID) + " (delivery " + message.getIntProperty("JMSXDeliveryCount")
                    + ")";
        } catch (JMSException | RuntimeException e) {
            return String.valueOf(message);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
