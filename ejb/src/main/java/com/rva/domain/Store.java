package com.rva.domain;

import java.time.ZoneId;

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

/** A store. {@code code} is the id collectors send ({@code store_001}); days are in {@code timeZone}. */
@Entity
@Table(name = "store")
@NamedQuery(name = Store.BY_CODE, query = "SELECT s FROM Store s WHERE s.code = :code")
@NamedQuery(name = Store.ALL, query = "SELECT s FROM Store s ORDER BY s.code")
public class Store {

    public static final String BY_CODE = "Store.byCode";
    public static final String ALL = "Store.all";

    @Id
    @SequenceGenerator(name = "rva_id", sequenceName = "rva_id_seq", allocationSize = 50)
    @GeneratedValue(strategy = GenerationType.SEQUENCE, generator = "rva_id")
    private Long id;

    @Column(nullable = false, unique = true, length = 64)
    private String code;

    @Column(nullable = false, length = 200)
    private String name;

    @ManyToOne(fetch = FetchType.LAZY, optional = false)
    @JoinColumn(name = "region_id")
    private Region region;

    @Column(name = "time_zone", nullable = false, length = 64)
    private String timeZone;

    /** An inactive store keeps its history; its crops are refused as from an unknown store. */
    @Column(nullable = false)
    private boolean active = true;

    protected Store() {
    }

    public Store(String code, String name, Region region, ZoneId timeZone) {
        this.code = code;
        this.name = name;
        this.region = region;
        this.timeZone = timeZone.getId();
    }

    public Long getId() {
        return id;
    }

    public String getCode() {
        return code;
    }

    public String getName() {
        return name;
    }

    public Region getRegion() {
        return region;
    }

    public ZoneId getZoneId() {
        return ZoneId.of(timeZone);
    }

    public boolean isActive() {
        return active;
    }

    /** Admin edits (the admin service validates and audits them). */
    public void change(String name, Region region, ZoneId timeZone, boolean active) {
        this.name = name;
        this.region = region;
        this.timeZone = timeZone.getId();
        this.active = active;
    }
}
