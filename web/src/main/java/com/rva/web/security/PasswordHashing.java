package com.rva.web.security;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;

import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

/**
 * How portal passwords are hashed: PBKDF2 with HMAC-SHA512 and 210,000 iterations (OWASP's figure for that
 * PRF), a 32-byte salt and a 64-byte key. The identity store and every place that stores a hash use these
 * same parameters; a stored hash carries its own algorithm and iterations, so raising them later still
 * verifies the old hashes.
 */
public final class PasswordHashing {

    static final String ALGORITHM = "Pbkdf2PasswordHash.Algorithm=PBKDF2WithHmacSHA512";
    static final String ITERATIONS = "Pbkdf2PasswordHash.Iterations=210000";
    static final String SALT_SIZE = "Pbkdf2PasswordHash.SaltSizeBytes=32";
    static final String KEY_SIZE = "Pbkdf2PasswordHash.KeySizeBytes=64";

    /** The parameters as {@code Pbkdf2PasswordHash.initialize} takes them. */
    public static final Map<String, String> PARAMETERS = Arrays.stream(new String[] {ALGORITHM, ITERATIONS, SALT_SIZE, KEY_SIZE})
            .map(p -> p.split("=", 2))
            .collect(Collectors.toUnmodifiableMap(p -> p[0], p -> p[1]));

    private PasswordHashing() {
    }

    /** Hashes a password for {@code app_user.password_hash}. */
    public static String hash(Pbkdf2PasswordHash hasher, char[] password) {
        hasher.initialize(PARAMETERS);
        return hasher.generate(password);
    }
}
