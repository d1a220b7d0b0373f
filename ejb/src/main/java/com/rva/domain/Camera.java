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
}
