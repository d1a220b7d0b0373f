package com.rva.domain;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * A collector's broker user and the one store it may send crops for: this row is what ties the authenticated sender
 * of a crop to a store. The server's broker authenticates collectors against its salted secret hash (Elytron
 * jdbc-realm {@code RvaCollectorRealm}, see server.cli); the secret itself is never stored.
 */
@Entity
@Table(name = "collector_account")
@NamedQuery(name = CollectorAccount.BY_STORE, query = "SELECT a FROM CollectorAccount a WHERE a.store = :store ORDER BY a.username")
@NamedQuery(name = CollectorAccount.ALL, query = "SELECT a FROM CollectorAccount a JOIN FETCH a.store ORDER BY a.username")
public class CollectorAccount {

    public static final String BY_STORE = "CollectorAccount.byStore";
    public static final String ALL = "CollectorAccount.all";

    @Id
    @Column(length = 100)
    private String username;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "store_id")
    private Store store;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    /** base64(SHA-256(UTF-8 secret || salt)), the realm's password-salt-digest-sha-256; null: cannot log in */
    @Column(name = "secret_hash", length = 100)
    private String secretHash;

    @Column(name = "secret_salt", length = 100)
    private String secretSalt;

    @Column(name = "secret_set_at")
    private LocalDateTime secretSetAt;

    protected CollectorAccount() {
    }

    public CollectorAccount(String username, Store store, LocalDateTime createdAtUtc) {
        this.username = username;
        this.store = store;
        this.createdAt = createdAtUtc;
    }

    public String getUsername() {
        return username;
    }

    public Store getStore() {
        return store;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    /** When the current secret was created or last rotated (UTC); null when the account has none yet. */
    public LocalDateTime getSecretSetAt() {
        return secretSetAt;
    }

    public boolean hasSecret() {
        return secretHash != null;
    }

    /** Replaces the secret (its salted hash): the old secret stops working for every new login at once. */
    public void replaceSecret(String hashBase64, String saltBase64, LocalDateTime setAtUtc) {
        this.secretHash = hashBase64;
        this.secretSalt = saltBase64;
        this.secretSetAt = setAtUtc;
    }
}
