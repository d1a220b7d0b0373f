package com.rva.infrastructure.messaging;

import java.time.Clock;
import java.time.Duration;

import com.rva.application.ingest.CameraDirectory;
import com.rva.application.ingest.IngestMetrics;
import com.rva.application.ingest.IngestService;
import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.recognition.CropDecoder;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;

/**
 * One crop message, validated and then ingested or rejected, in one database transaction of its own. The
 * {@link FaceCropConsumer} receives the message outside any transaction and the broker acknowledges it only after
 * this method returned, that is after the transaction committed (see the class comment there for why a crop is
 * still stored exactly once).
 */
@Stateless
public class CropIngestion {

    private static final CropDecoder DECODER = new CropDecoder();

    /** When this thread's last {@link #handle} body ended: the consumer times the commit from there. */
    static final ThreadLocal<long[]> BODY_END = ThreadLocal.withInitial(() -> new long[1]);

    @EJB
    private IngestService ingest;

    @EJB
    private CameraDirectory cameras;

    @EJB
    private SettingsService settings;

    @EJB
    private RejectedCropForwarder rejections;

    /**
     * @throws EJBException for any failure (the transaction has rolled back and the message is to be redelivered);
     *         a {@link JMSException} is wrapped so that it rolls the transaction back too
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public void handle(Message message) {
        try {
            long start = System.nanoTime();
            Duration skew = Duration.ofMinutes(Long.parseLong(settings.get(Setting.MAX_CLOCK_SKEW_MINUTES)));
            CropMessageReader.Reading reading = new CropMessageReader(cameras::status, cameras::storeOfCollector, DECODER,
                    Clock.systemUTC(), skew)
                    .read(message);
            IngestMetrics.time(IngestMetrics.Phase.VALIDATE, System.nanoTime() - start);
            if (reading instanceof CropMessageReader.Rejected rejected) {
                rejections.reject(message, rejected.reason(), rejected.detail());
            } else {
                ingest.ingest(((CropMessageReader.Accepted) reading).crop());
            }
        } catch (JMSException e) {
            // a checked exception would let the transaction commit: this one must roll it back
            throw new EJBException(e);
        } finally {
            BODY_END.get()[0] = System.nanoTime();
        }
    }
}
