package com.rva.collector.send;

import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** A real Artemis broker on 127.0.0.1 for tests: in memory, no security, duplicate detection on (the default). */
public final class EmbeddedBroker implements AutoCloseable {

    private final int port;
    private EmbeddedActiveMQ broker;

    public EmbeddedBroker(int port) {
        this.port = port;
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public EmbeddedBroker start() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(false);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("tcp", url());
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        return this;
    }

    public void stop() throws Exception {
        if (broker != null) {
            broker.stop();
            broker = null;
        }
    }

    public boolean hasQueue(String coreName) {
        return broker.getActiveMQServer().locateQueue(coreName) != null;
    }

    /** Receives until {@code idleMillis} pass without a message (the collector side uses WildFly's prefix). */
    public List<Message> drain(String queue, long idleMillis) throws Exception {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url());
        cf.setEnable1xPrefixes(true);
        List<Message> messages = new ArrayList<>();
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (Message m = consumer.receive(idleMillis); m != null; m = consumer.receive(idleMillis)) {
                messages.add(m);
            }
        } finally {
            cf.close();
        }
        return messages;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
