package com.rva.broker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.Interceptor;
import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.protocol.core.Packet;
import org.apache.activemq.artemis.core.protocol.core.impl.wireformat.CreateSessionMessage;
import org.apache.activemq.artemis.core.protocol.core.impl.wireformat.SessionSendLargeMessage;
import org.apache.activemq.artemis.core.protocol.core.impl.wireformat.SessionSendMessage;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

/**
 * An incoming interceptor of the server's broker: every message a client sends gets, as
 * {@value #VALIDATED_USER}, the user its session logged in with — overwriting whatever the sender put there.
 *
 * <p>Why not Artemis' own {@code populate-validated-user}: WildFly's security manager for the broker reports no
 * validated user name to Artemis (it only says yes or no), so that option never stamps anything on WildFly.
 * The user name recorded here is the one of a session the broker accepted: a session whose login fails never
 * sends. Sessions are keyed by connection and channel, so two sessions of one connection with different users
 * stay apart. Producers inside the server (in-VM, no user) get no stamp; a remote session without a user gets
 * {@value #ANONYMOUS}, which no collector account matches.
 */
public final class SenderStampInterceptor implements Interceptor {

    /** Artemis' header for the validated user; {@code JMSXUserID} reads it in JMS. */
    public static final String VALIDATED_USER = "_AMQ_VALIDATED_USER";
    public static final String ANONYMOUS = "(anonymous)";

    /** connection id → (session channel id → user, or "" for none) */
    private final Map<Object, Map<Long, String>> users = new ConcurrentHashMap<>();

    @Override
    public boolean intercept(Packet packet, RemotingConnection connection) throws ActiveMQException {
        if (packet instanceof CreateSessionMessage create) {
            Object id = connection.getID();
            Map<Long, String> sessions = users.computeIfAbsent(id, k -> {
                connection.addCloseListener(() -> users.remove(k));
                return new ConcurrentHashMap<>();
            });
            sessions.put(create.getSessionChannelID(), create.getUsername() == null ? "" : create.getUsername());
        } else if (packet instanceof SessionSendMessage send) {
            stamp(send.getMessage(), packet.getChannelID(), connection);
        } else if (packet instanceof SessionSendLargeMessage large) {
            stamp(large.getLargeMessage(), packet.getChannelID(), connection);
        }
        return true;
    }

    private void stamp(Message message, long channel, RemotingConnection connection) {
        Map<Long, String> sessions = users.get(connection.getID());
        String user = sessions == null ? null : sessions.get(channel);
        if (user != null && !user.isEmpty()) {
            message.putStringProperty(VALIDATED_USER, user);
        } else if (isInVm(connection)) {
            message.removeProperty(VALIDATED_USER);
        } else {
            message.putStringProperty(VALIDATED_USER, ANONYMOUS);
        }
    }

    static boolean isInVm(RemotingConnection connection) {
        String address = connection.getRemoteAddress();
        return address != null && address.startsWith("invm:");
    }
}
