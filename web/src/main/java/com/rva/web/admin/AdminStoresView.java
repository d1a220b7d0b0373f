package com.rva.web.admin;

import java.io.Serializable;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

import com.rva.application.admin.CatalogAdminService;
import com.rva.application.admin.CatalogAdminService.RegionRow;
import com.rva.application.admin.CatalogAdminService.StoreRow;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/** Admin: regions (create, rename) and stores (create, change region/time zone, deactivate), a page at a time. */
@Named
@ViewScoped
public class AdminStoresView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private CatalogAdminService catalog;

    private List<RegionRow> regions = List.of();
    private String regionFilter;
    private final Stores stores = new Stores();

    private String regionCode;
    private String regionName;

    private String storeCode;
    private String storeName;
    private String storeRegion;
    private String storeTimeZone = "Europe/Berlin";
    private boolean storeActive = true;

    /** The stores of the selected region (or all), paged by the database. */
    public class Stores extends LazyDataModel<StoreRow> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            return Math.toIntExact(catalog.storeCount(selectedRegion()));
        }

        @Override
        public List<StoreRow> load(int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
            return catalog.stores(selectedRegion(), first, pageSize);
        }

        @Override
        public String getRowKey(StoreRow row) {
            return row.code();
        }

        @Override
        public StoreRow getRowData(String rowKey) {
            List<StoreRow> page = getWrappedData();
            return page == null ? null : page.stream().filter(r -> r.code().equals(rowKey)).findFirst().orElse(null);
        }
    }

    public void load() {
        regions = catalog.regions();
    }

    private String selectedRegion() {
        return regionFilter == null || regionFilter.isBlank()
                || regions.stream().noneMatch(r -> r.code().equals(regionFilter)) ? null : regionFilter;
    }

    public void editRegion(RegionRow row) {
        regionCode = row.code();
        regionName = row.name();
    }

    public void saveRegion() {
        String code = regionCode;
        if (AdminMessages.attempt(() -> catalog.saveRegion(regionCode, regionName), "Saved region " + code)) {
            regionCode = regionName = null;
        }
        load();
    }

    public void editStore(StoreRow row) {
        storeCode = row.code();
        storeName = row.name();
        storeRegion = row.region();
        storeTimeZone = row.timeZone();
        storeActive = row.active();
    }

    public void saveStore() {
        String code = storeCode;
        if (AdminMessages.attempt(() -> catalog.saveStore(storeCode, storeName, storeRegion, storeTimeZone, storeActive),
                "Saved store " + code)) {
            storeCode = storeName = null;
            storeActive = true;
        }
        load();
    }

    public void setActive(StoreRow row, boolean active) {
        AdminMessages.attempt(() -> catalog.setStoreActive(row.code(), active),
                (active ? "Reactivated " : "Deactivated ") + row.code());
        load();
    }

    /** Time zone ids holding what was typed (the service refuses anything ZoneId does not know). */
    public List<String> completeZone(String query) {
        String q = query == null ? "" : query.strip().toLowerCase(java.util.Locale.ROOT);
        return ZoneId.getAvailableZoneIds().stream().filter(z -> z.contains("/") && !z.startsWith("Etc/")
                && !z.startsWith("SystemV/") && z.toLowerCase(java.util.Locale.ROOT).contains(q)).sorted().limit(30).toList();
    }

    public String apply() {
        return "stores?faces-redirect=true&includeViewParams=true";
    }

    public List<RegionRow> getRegions() {
        return regions;
    }

    public Stores getStores() {
        return stores;
    }

    public String getRegionFilter() {
        return regionFilter;
    }

    public void setRegionFilter(String regionFilter) {
        this.regionFilter = regionFilter;
    }

    public String getRegionCode() {
        return regionCode;
    }

    public void setRegionCode(String regionCode) {
        this.regionCode = regionCode;
    }

    public String getRegionName() {
        return regionName;
    }

    public void setRegionName(String regionName) {
        this.regionName = regionName;
    }

    public String getStoreCode() {
        return storeCode;
    }

    public void setStoreCode(String storeCode) {
        this.storeCode = storeCode;
    }

    public String getStoreName() {
        return storeName;
    }

    public void setStoreName(String storeName) {
        this.storeName = storeName;
    }

    public String getStoreRegion() {
        return storeRegion;
    }

    public void setStoreRegion(String storeRegion) {
        this.storeRegion = storeRegion;
    }

    public String getStoreTimeZone() {
        return storeTimeZone;
    }

    public void setStoreTimeZone(String storeTimeZone) {
        this.storeTimeZone = storeTimeZone;
    }

    public boolean isStoreActive() {
        return storeActive;
    }

    public void setStoreActive(boolean storeActive) {
        this.storeActive = storeActive;
    }
}
