package com.rva.infrastructure.messaging;

import com.rva.application.ingest.ClusterNode;
import com.rva.application.ingest.GalleryChange;
import com.rva.application.ingest.GalleryIndex;

import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.EJB;
import jakarta.ejb.MessageDriven;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageListener;
import jakarta.jms.TextMessage;

/**
 * Follows the other cluster nodes' galleries: every node subscribes to the topic {@code rva.gallery} (a non-durable
 * subscription of its own, so each node hears every change) and hands each change another node committed to
 * {@link GalleryIndex#applyRemote}, which reloads the named templates from the database. One session, so changes are
 * applied one after the other. Its own messages are skipped (applied at commit); a malformed message is counted and
 * logged, never retried; a database failure while reloading propagates, so the broker redelivers.
 */
@MessageDriven(name = "GalleryChangeConsumer", activationConfig = {
        @ActivationConfigProperty(propertyName = "destinationLookup", propertyValue = "java:/jms/topic/rva.gallery"),
        @ActivationConfigProperty(propertyName = "destinationType", propertyValue = "jakarta.jms.Topic"),
        @ActivationConfigProperty(propertyName = "subscriptionDurability", propertyValue = "NonDurable"),
        @ActivationConfigProperty(propertyName = "maxSession", propertyValue = "1")})
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class GalleryChangeConsumer implements MessageListener {

    @EJB
    private GalleryIndex gallery;

    @Override
    public void onMessage(Message message) {
        String node;
        GalleryChange change;
        try {
            node = message.getStringProperty(GalleryTopicPublisher.NODE);
            if (node == null || node.isBlank()) {
                gallery.malformedChange("no " + GalleryTopicPublisher.NODE + " property (" + message.getJMSMessageID() + ")");
                return;
            }
            if (node.equals(ClusterNode.id())) {
                gallery.ownChangeIgnored();
                return;
            }
            if (!(message instanceof TextMessage text)) {
                gallery.malformedChange("from node " + node + ": not a text message (" + message.getClass().getSimpleName() + ")");
                return;
            }
            change = GalleryChange.parse(message.getStringProperty(GalleryTopicPublisher.REASON), text.getText());
        } catch (JMSException | RuntimeException e) {
            gallery.malformedChange(e.getClass().getSimpleName() + ": " + e.getMessage());
            return;
        }
        gallery.applyRemote(node, change);
    }
}
