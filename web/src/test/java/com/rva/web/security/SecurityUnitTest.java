package com.rva.web.security;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.security.SecureRandom;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import jakarta.security.enterprise.credential.UsernamePasswordCredential;

class SecurityUnitTest {

    private static String basic(String userColonPassword) {
        return Base64.getEncoder().encodeToString(userColonPassword.getBytes(UTF_8));
    }

    @Test
    void basicCredentialsSplitAtTheFirstColon() {
        UsernamePasswordCredential c = PortalAuthenticationMechanism.basicCredential(basic("admin:pa:ss wörd"));
        assertEquals("admin", c.getCaller());
        assertEquals("pa:ss wörd", c.getPasswordAsString());
    }

    @Test
    void malformedBasicCredentialsAreRefused() {
        assertNull(PortalAuthenticationMechanism.basicCredential("not base64!"));
        assertNull(PortalAuthenticationMechanism.basicCredential(basic("no-colon")));
        assertNull(PortalAuthenticationMechanism.basicCredential(basic(":password-without-user")));
    }

    @Test
    void hashParametersAreTheDocumentedOnes() {
        assertEquals("PBKDF2WithHmacSHA512", PasswordHashing.PARAMETERS.get("Pbkdf2PasswordHash.Algorithm"));
        assertEquals("210000", PasswordHashing.PARAMETERS.get("Pbkdf2PasswordHash.Iterations"));
        assertEquals(4, PasswordHashing.PARAMETERS.size());
    }

    @Test
    void generatedPasswordsHaveSixteenUnambiguousCharacters() {
        SecureRandom random = new SecureRandom();
        String a = new String(AdminBootstrap.randomPassword(random));
        String b = new String(AdminBootstrap.randomPassword(random));
        assertEquals(16, a.length());
        assertNotEquals(a, b);
        assertEquals(-1, indexOfAny(a + b, "0O1lI"));
    }

    private static int indexOfAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }
}
