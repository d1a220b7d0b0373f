package com.rva.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.FetchType;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.ManyToOne;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.SequenceGenerator;
import jakarta.persistence.Table;

/** A camera registered in a store; {@code code} is the cameraId collectors send. */
@Entity
@Table(name = "camera")
@NamedQuery(name = Camera.BY_STORE_AND_CODE,
        query = "SELECT c FROM Camera c WHERE c.store = :store AND c.code = :code")
public class Camera {

    public static final String BY_STORE_AND_CODE = "Camera.byStoreAndCode";

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "store_id")
    private Store store;

    @Column(nullable = false, length = 64)
    private String code;

    @Column(nullable = false, length = 200)
    private String name;

    /** What the store's collector reads: FOLDER, HTTP, RTSP, VIDEO or USB (see collector.properties). */
    @Column(name = "source_type", nullable = false, length = 20)
    private String sourceType = "FOLDER";

    @Column(name = "source_url", length = 1000)
    private String sourceUrl;

    @Column(name = "source_user", length = 200)
    private String sourceUser;

    /** Never shown by the portal, never logged. */
    @Column(name = "source_password", length = 200)
    private String sourcePassword;

    @Column(name = "interval_seconds", nullable = false)
    private int intervalSeconds = 15;

    @Column(nullable = false)
    private boolean enabled = true;

    protected Camera() {
    }

    public Camera(Store store, String code, String name) {
        this.store = store;
        this.code = code;
        this.name = name;
    }

    public Long getId() {
        return id;
    }

    public Store getStore() {
        return store;
    }

    public String getCode() {
        return code;
    }

    public String getName() {
        return name;
    }

    public String getSourceType() {
        return sourceType;
    }

    public String getSourceUrl() {
        return sourceUrl;
    }

    public String getSourceUser() {
        return sourceUser;
    }

    /** For the collector's configuration only; the portal shows whether one is set, never the value. */
    public String getSourcePassword() {
        return sourcePassword;
    }

    public int getIntervalSeconds() {
        return intervalSeconds;
    }

    public boolean isEnabled() {
        return enabled;
    }

    /** Admin edits (validated and audited by the admin service); a null password keeps the stored one. */
    public void change(String name, String sourceType, String sourceUrl, String sourceUser, String passwordOrNull,
            int intervalSeconds, boolean enabled) {
        this.name = name;
        this.sourceType = sourceType;
        this.sourceUrl = sourceUrl;
        this.sourceUser = sourceUser;
        if (passwordOrNull != null) {
            this.sourcePassword = passwordOrNull.isEmpty() ? null : passwordOrNull;
        }
        this.intervalSeconds = intervalSeconds;
        this.enabled = enabled;
    }
}
