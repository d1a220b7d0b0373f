package com.rva.collector.send;

import com.rva.contract.CropContract;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.Role;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager;
import org.apache.activemq.artemis.spi.core.security.ActiveMQSecurityManager4;
import org.apache.activemq.artemis.core.security.CheckType;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;

/**
 * A real Artemis broker on 127.0.0.1 standing in for the server's: its crops and heartbeats queues live at
 * WildFly's {@code jms.queue.<name>} addresses, duplicate detection is on (the default). With a folder it keeps
 * a persistent journal (messages and the duplicate-id cache survive a stop and start, as on the server); with
 * users it authenticates senders and stamps their validated user on every message, as the server does.
 */
public final class EmbeddedBroker implements AutoCloseable {

    /** Port for tests that must restart a broker on the same port; 0 picks a free one. */
    public static final String PORT_PROPERTY = "rva.edge-test.broker-port";

    private final int port;
    private Path dir;
    private Map<String, String> users = Map.of();
    private String tlsParams = "";
    private EmbeddedActiveMQ broker;

    public EmbeddedBroker(int port) {
        this.port = port;
    }

    /** A port from {@value #PORT_PROPERTY}, or a free one chosen by the OS. */
    public static int freePort() throws IOException {
        int configured = Integer.getInteger(PORT_PROPERTY, 0);
        if (configured > 0) {
            return configured;
        }
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    public EmbeddedBroker persistentIn(Path dir) {
        this.dir = dir;
        return this;
    }

    /** Requires these users (name → password) and stamps the validated user on messages. */
    public EmbeddedBroker withUsers(Map<String, String> users) {
        this.users = Map.copyOf(users);
        return this;
    }

    /** Accepts only TLS, with this key store (PKCS12) holding the broker's key and certificate. */
    public EmbeddedBroker withTls(Path keyStore, String password) {
        this.tlsParams = "?sslEnabled=true&keyStorePath=" + keyStore + "&keyStorePassword=" + password
                + "&keyStoreType=PKCS12";
        return this;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public EmbeddedBroker start() throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setPersistenceEnabled(dir != null);
        if (dir != null) {
            config.setJournalDirectory(dir.resolve("journal").toString());
            config.setBindingsDirectory(dir.resolve("bindings").toString());
            config.setPagingDirectory(dir.resolve("paging").toString());
            config.setLargeMessagesDirectory(dir.resolve("large-messages").toString());
        }
        config.setSecurityEnabled(!users.isEmpty());
        config.setPopulateValidatedUser(true);
        config.setJMXManagementEnabled(false);
        config.setMaxDiskUsage(-1);
        config.addAcceptorConfiguration("tcp", url() + tlsParams);
        for (String queue : List.of(CropContract.CROPS_QUEUE, CropContract.HEARTBEATS_QUEUE)) {
            String address = "jms.queue." + queue;
            config.addQueueConfiguration(QueueConfiguration.of(address).setAddress(address)
                    .setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        if (!users.isEmpty()) {
            Set<Role> roles = new HashSet<>();
            roles.add(new Role("guest", true, true, true, true, true, true, true, true, true, true, false, false));
            config.putSecurityRoles("#", roles);
            broker.setSecurityManager(securityManager(users));
        }
        broker.start();
        return this;
    }

    /** Checks name and password; the name it returns is what the broker stamps on messages as validated user. */
    private static ActiveMQSecurityManager securityManager(Map<String, String> users) {
        return new ActiveMQSecurityManager4() {
            @Override
            public boolean validateUser(String user, String password) {
                return user != null && password != null && password.equals(users.get(user));
            }

            @Override
            public boolean validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType) {
                return validateUser(user, password);
            }

            @Override
            public String validateUser(String user, String password, RemotingConnection connection,
                    String securityDomain) {
                return validateUser(user, password) ? user : null;
            }

            @Override
            public String validateUserAndRole(String user, String password, Set<Role> roles, CheckType checkType,
                    String address, RemotingConnection connection, String securityDomain) {
                return validateUser(user, password) ? user : null;
            }
        };
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

    /** Messages waiting on a queue (WildFly's name, e.g. {@code rva.crops}). */
    public long count(String queue) {
        return broker.getActiveMQServer().locateQueue("jms.queue." + queue).getMessageCount();
    }

    /** Receives until {@code idleMillis} pass without a message (the collector side uses WildFly's prefix). */
    public List<Message> drain(String queue, long idleMillis) throws Exception {
        ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(url());
        cf.setEnable1xPrefixes(true);
        List<Message> messages = new ArrayList<>();
        Map.Entry<String, String> user = users.isEmpty() ? null : users.entrySet().iterator().next();
        try (Connection c = user == null ? cf.createConnection() : cf.createConnection(user.getKey(), user.getValue())) {
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
