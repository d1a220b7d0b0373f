package com.rva.domain;

import java.time.LocalDateTime;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.Table;

/**
 * A collector's broker user and the one store it may send crops for. The password lives in the server's
 * ApplicationRealm, never here; this row is what ties the authenticated sender of a crop to a store.
 */
@Entity
@Table(name = "collector_account")
public class CollectorAccount {

    @Id
    @Column(length = 100)
    private String username;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "store_id")
    private Store store;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

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
}
