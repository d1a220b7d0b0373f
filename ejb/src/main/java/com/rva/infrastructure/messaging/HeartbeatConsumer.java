package com.rva.infrastructure.messaging;

import java.time.Instant;
import java.util.logging.Logger;

import com.rva.application.health.CollectorHealthService;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/** Consumes collector heartbeats from {@code rva.heartbeats} (thin: the service keeps the latest per collector). */
@MessageDriven(name = "HeartbeatConsumer", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "java:/jms/queue/rva.heartbeats"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Queue"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")})
public class HeartbeatConsumer implements MessageListener {

    private static final Logger LOG = Logger.getLogger(HeartbeatConsumer.class.getName());

    @EJB
    private CollectorHealthService health;

    @Override
    public void onMessage(Message message) {
        try {
            if (!(message instanceof TextMessage text)) {
                LOG.warning(() -> "Ignoring a heartbeat that is not a text message: " + message);
                return;
            }
            health.record(text.getText(), CropMessageReader.validatedUser(message), Instant.now());
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot read a heartbeat", e);
        }
    }
}
