package com.rva.infrastructure.messaging;

import java.time.Clock;
import java.time.Duration;
import java.util.logging.Logger;

import com.rva.application.ingest.CameraDirectory;
import com.rva.application.ingest.IngestService;
import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;
import com.rva.contract.CropContract;
import com.rva.recognition.CropDecoder;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;

/**
 * Consumes face crops from {@code rva.crops} (DESIGN §5, §6). A permanently invalid crop is moved to
 * {@code rva.crops.rejected} and the delivery succeeds; any other failure (database down, ...) propagates,
 * the transaction rolls back and the broker redelivers, moving the message to {@code rva.crops.dlq} after
 * its max delivery attempts. Crops of one store come in order (message group = store).
 */
@MessageDriven(name = "FaceCropConsumer", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "java:/jms/queue/rva.crops"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue")})
public class FaceCropConsumer implements MessageListener {

    private static final Logger LOG = Logger.getLogger(FaceCropConsumer.class.getName());
    private static final CropDecoder DECODER = new CropDecoder();

    @EJB
    private IngestService ingest;

    @EJB
    private CameraDirectory cameras;

    @EJB
    private SettingsService settings;

    @EJB
    private RejectedCropForwarder rejections;

    @Override
    public void onMessage(Message message) {
        try {
            Duration skew = Duration.ofMinutes(Long.parseLong(settings.get(Setting.MAX_CLOCK_SKEW_MINUTES)));
            CropMessageReader.Reading reading = new CropMessageReader(cameras::status, cameras::storeOfCollector, DECODER,
                    Clock.systemUTC(), skew)
                    .read(message);
            if (reading instanceof CropMessageReader.Rejected rejected) {
                rejections.reject(message, rejected.reason(), rejected.detail());
            } else {
                ingest.ingest(((CropMessageReader.Accepted) reading).crop());
            }
        } catch (JMSException | RuntimeException e) {
            throw retry(message, e);
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
