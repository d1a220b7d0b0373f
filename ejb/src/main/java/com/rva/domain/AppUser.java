package com.rva.domain;

import java.time.LocalDateTime;
import java.util.HashSet;
import java.util.Set;

import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.JoinTable;
import jakarta.persistence.ManyToMany;
import jakarta.persistence.Table;

/** A portal user. Only a PBKDF2 hash of the password is stored. */
@Entity
@Table(name = "app_user")
public class AppUser {

    public static final String ROLE_ADMIN = "ADMIN";
    public static final String ROLE_REGIONAL_MANAGER = "REGIONAL_MANAGER";
    public static final String ROLE_STORE_MANAGER = "STORE_MANAGER";

    @Id
    @Column(length = 100)
    private String username;

    @Column(name = "password_hash", nullable = false, length = 500)
    private String passwordHash;

    @Column(name = "display_name", nullable = false, length = 200)
    private String displayName;

    @Column(name = "created_at", nullable = false)
    private LocalDateTime createdAt;

    @ElementCollection(fetch = FetchType.EAGER)
    @CollectionTable(name = "app_user_role", joinColumns = @JoinColumn(name = "username"))
    @Column(name = "role_name", length = 50)
    private Set<String> roles = new HashSet<>();

    /** For a REGIONAL_MANAGER: the regions whose stores it sees. */
    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "app_user_region", joinColumns = @JoinColumn(name = "username"),
            inverseJoinColumns = @JoinColumn(name = "region_id"))
    private Set<Region> regions = new HashSet<>();

    /** For a STORE_MANAGER: the stores it sees. */
    @ManyToMany(fetch = FetchType.LAZY)
    @JoinTable(name = "app_user_store", joinColumns = @JoinColumn(name = "username"),
            inverseJoinColumns = @JoinColumn(name = "store_id"))
    private Set<Store> stores = new HashSet<>();

    protected AppUser() {
    }

    public AppUser(String username, String passwordHash, String displayName, Set<String> roles,
            LocalDateTime createdAtUtc) {
        this.username = username;
        this.passwordHash = passwordHash;
        this.displayName = displayName;
        this.roles = new HashSet<>(roles);
        this.createdAt = createdAtUtc;
    }

    public String getUsername() {
        return username;
    }

    public String getDisplayName() {
        return displayName;
    }

    public Set<String> getRoles() {
        return Set.copyOf(roles);
    }

    public void setRoles(Set<String> roles) {
        this.roles = new HashSet<>(roles);
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public void setPasswordHash(String passwordHash) {
        this.passwordHash = passwordHash;
    }

    public String getPasswordHash() {
        return passwordHash;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    public Set<Region> getRegions() {
        return Set.copyOf(regions);
    }

    public void setRegions(Set<Region> regions) {
        this.regions = new HashSet<>(regions);
    }

    public Set<Store> getStores() {
        return Set.copyOf(stores);
    }

    public void setStores(Set<Store> stores) {
        this.stores = new HashSet<>(stores);
    }
}
