package com.rva.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.net.ServerSocket;
import java.util.Map;
import java.util.Set;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.junit.jupiter.api.Test;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * A broker secured like WildFly's (a security manager that only says yes or no, so Artemis knows no validated
 * user) with the interceptor installed: the receiver sees the user the sender logged in with, never the value the
 * sender forged.
 */
class SenderStampInterceptorTest {

    private static final Map<String, String> USERS = Map.of("store-001", "pw1", "store-002", "pw2");

    @Test
    void stampsTheLoggedInUserOverAForgedOne() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setSecurityEnabled(true);
        config.addAcceptorConfiguration("tcp", "tcp://127.0.0.1:" + port);
        config.getIncomingInterceptorClassNames().add(SenderStampInterceptor.class.getName());
        config.addQueueConfiguration(QueueConfiguration.of("crops").setRoutingType(RoutingType.ANYCAST));
        config.putSecurityRoles("#", Set.of(new Role("guest", true, true, true, true, true, true, true, true, true,
                true, false, false)));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.setSecurityManager(new ActiveMQSecurityManager() {
            @Override
            public boolean validateUser(String user, String password) {
                return user != null && password != null && password.equals(USERS.get(user));
            }

            @Override
            public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType type) {
                return validateUser(user, password);
            }
        });
        broker.start();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + port)) {
            try (Connection c = cf.createConnection("store-001", "pw1")) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer p = s.createProducer(s.createQueue("crops"));
                Message forged = s.createTextMessage("forged");
                forged.setStringProperty(SenderStampInterceptor.VALIDATED_USER, "store-002");
                p.send(forged);
                p.send(s.createTextMessage("plain"));
            }
            try (Connection c = cf.createConnection("store-002", "pw2")) {
                c.start();
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                var consumer = s.createConsumer(s.createQueue("crops"));
                for (int i = 0; i < 2; i++) {
                    Message m = consumer.receive(5000);
                    assertNotNull(m, "message " + i);
                    assertEquals("store-001", m.getStringProperty(SenderStampInterceptor.VALIDATED_USER));
                    assertEquals("store-001", m.getStringProperty("JMSXUserID"));
                }
            }
        } finally {
            broker.stop();
        }
    }
}
