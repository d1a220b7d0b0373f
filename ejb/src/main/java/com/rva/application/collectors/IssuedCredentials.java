package com.rva.application.collectors;

import java.time.LocalDateTime;

/**
 * A collector's new credentials, as handed out once: the secret is not stored anywhere (only its salted hash) and
 * cannot be read again. {@code toString} leaves the secret out so it never ends up in a log line.
 *
 * @param created     true when the account was made now, false when an existing account's secret was rotated
 * @param secretSetAt when (UTC)
 */
public record IssuedCredentials(String store, String login, String secret, boolean created, LocalDateTime secretSetAt) {

    @Override
    public String toString() {
        return "IssuedCredentials[store=" + store + ", login=" + login + ", created=" + created + ", secretSetAt="
                + secretSetAt + "]";
    }
}
