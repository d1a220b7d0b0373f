package com.rva.web.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.rva.application.security.PortalUserService;

import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

class AdminBootstrapTest {

    /** Records what the bootstrap stores instead of touching a database. */
    static class FakeUsers extends PortalUserService {
        long users;
        String createdName;
        String createdHash;

        @Override
        public long countUsers() {
            return users;
        }

        @Override
        public boolean createFirstAdministrator(String username, String passwordHash) {
            createdName = username;
            createdHash = passwordHash;
            return true;
        }
    }

    /** "Hashes" visibly, and checks it was set up with the project's parameters. */
    static class FakeHash implements Pbkdf2PasswordHash {
        Map<String, String> parameters;

        @Override
        public void initialize(Map<String, String> parameters) {
            this.parameters = parameters;
        }

        @Override
        public String generate(char[] password) {
            return "hash(" + new String(password) + ")";
        }

        @Override
        public boolean verify(char[] password, String hashedPassword) {
            return hashedPassword.equals(generate(password));
        }
    }

    private final List<LogRecord> logged = new ArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord record) {
            logged.add(record);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    private final Logger logger = Logger.getLogger(AdminBootstrap.class.getName());
    private final FakeUsers users = new FakeUsers();
    private final FakeHash hash = new FakeHash();
    private String savedProperty;

    @BeforeEach
    void setUp() {
        logger.addHandler(handler);
        savedProperty = System.getProperty(AdminBootstrap.PASSWORD_PROPERTY);
    }

    @AfterEach
    void tearDown() {
        logger.removeHandler(handler);
        if (savedProperty == null) {
            System.clearProperty(AdminBootstrap.PASSWORD_PROPERTY);
        } else {
            System.setProperty(AdminBootstrap.PASSWORD_PROPERTY, savedProperty);
        }
    }

    private void bootstrap() throws ReflectiveOperationException {
        AdminBootstrap bootstrap = new AdminBootstrap();
        set(bootstrap, "users", users);
        set(bootstrap, "passwordHash", hash);
        bootstrap.createFirstAdministrator();
    }

    private static void set(Object target, String field, Object value) throws ReflectiveOperationException {
        Field f = target.getClass().getDeclaredField(field);
        f.setAccessible(true);
        f.set(target, value);
    }

    private String messages() {
        StringBuilder all = new StringBuilder();
        for (LogRecord r : logged) {
            all.append(MessageFormat.format(r.getMessage(), r.getParameters())).append('\n');
        }
        return all.toString();
    }

    @Test
    void withoutThePropertyARandomPasswordIsHashedAndLoggedOnce() throws Exception {
        System.clearProperty(AdminBootstrap.PASSWORD_PROPERTY);
        bootstrap();
        assertEquals("admin", users.createdName);
        assertEquals(PasswordHashing.PARAMETERS, hash.parameters);
        String password = users.createdHash.substring("hash(".length(), users.createdHash.length() - 1);
        assertEquals(16, password.length());
        String log = messages();
        assertTrue(log.contains("Created portal user admin"), log);
        assertEquals(1, log.split(password, -1).length - 1, "the generated password is logged exactly once: " + log);
    }

    @Test
    void withThePropertyItsPasswordIsUsedAndNeverLogged() throws Exception {
        System.setProperty(AdminBootstrap.PASSWORD_PROPERTY, "chosen-secret");
        bootstrap();
        assertEquals("hash(chosen-secret)", users.createdHash);
        String log = messages();
        assertTrue(log.contains("Created portal user admin"), log);
        assertFalse(log.contains("chosen-secret"), log);
    }

    @Test
    void nothingHappensOnceThereAreUsers() throws Exception {
        users.users = 1;
        bootstrap();
        assertNull(users.createdName);
        assertTrue(logged.isEmpty());
    }
}
