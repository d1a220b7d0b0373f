package com.rva.web.admin;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import org.primefaces.model.FilterMeta;
import org.primefaces.model.LazyDataModel;
import org.primefaces.model.SortMeta;

import com.rva.application.admin.CameraSources;
import com.rva.application.admin.CatalogAdminService;
import com.rva.application.admin.CatalogAdminService.CameraRow;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/**
 * Admin: the cameras of one store ({@code ?store=} in the URL). The password field is write-only: the page
 * shows whether one is set, and a password inside the URL as {@code ****}.
 */
@Named
@ViewScoped
public class AdminCamerasView implements Serializable {

    private static final long serialVersionUID = 1L;

    @EJB
    private CatalogAdminService catalog;

    private String store;
    private List<String> storeChoices = List.of();
    private final Cameras cameras = new Cameras();

    private String code;
    private String name;
    private String sourceType = "FOLDER";
    private String sourceUrl;
    private String sourceUser;
    private String password;
    private boolean clearPassword;
    private String intervalSeconds = "15";
    private boolean enabled = true;

    /** The selected store's cameras, paged by the database. */
    public class Cameras extends LazyDataModel<CameraRow> {

        private static final long serialVersionUID = 1L;

        @Override
        public int count(Map<String, FilterMeta> filterBy) {
            return selectedStore() == null ? 0 : Math.toIntExact(catalog.cameraCount(selectedStore()));
        }

        @Override
        public List<CameraRow> load(int first, int pageSize, Map<String, SortMeta> sortBy, Map<String, FilterMeta> filterBy) {
            return selectedStore() == null ? List.of() : catalog.cameras(selectedStore(), first, pageSize);
        }

        @Override
        public String getRowKey(CameraRow row) {
            return row.code();
        }

        @Override
        public CameraRow getRowData(String rowKey) {
            List<CameraRow> page = getWrappedData();
            return page == null ? null : page.stream().filter(r -> r.code().equals(rowKey)).findFirst().orElse(null);
        }
    }

    public void load() {
        storeChoices = catalog.stores(null, 0, 1000).stream().map(CatalogAdminService.StoreRow::code).toList();
        if (store != null && !store.isBlank() && !storeChoices.contains(store)) {
            AdminMessages.error("No store '" + store + "'; choose one");
        }
    }

    private String selectedStore() {
        return store != null && storeChoices.contains(store) ? store : null;
    }

    public void edit(CameraRow row) {
        code = row.code();
        name = row.name();
        sourceType = row.sourceType();
        sourceUrl = row.sourceUrl();
        sourceUser = row.sourceUser();
        password = null;
        clearPassword = false;
        intervalSeconds = Integer.toString(row.intervalSeconds());
        enabled = row.enabled();
    }

    public void save() {
        if (selectedStore() == null) {
            AdminMessages.error("Choose a store first");
            return;
        }
        String saved = code;
        if (AdminMessages.attempt(() -> catalog.saveCamera(selectedStore(), code, name, sourceType, sourceUrl, sourceUser,
                password, clearPassword, intervalSeconds, enabled), "Saved camera " + saved)) {
            code = name = sourceUrl = sourceUser = null;
            sourceType = "FOLDER";
            intervalSeconds = "15";
            enabled = true;
        }
        password = null; // never rendered back
        clearPassword = false;
    }

    public String apply() {
        return "cameras?faces-redirect=true&includeViewParams=true";
    }

    public List<String> getSourceTypes() {
        return CameraSources.TYPES.stream().sorted().toList();
    }

    public List<String> getStoreChoices() {
        return storeChoices;
    }

    public Cameras getCameras() {
        return cameras;
    }

    public String getStore() {
        return store;
    }

    public void setStore(String store) {
        this.store = store;
    }

    public String getCode() {
        return code;
    }

    public void setCode(String code) {
        this.code = code;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getSourceType() {
        return sourceType;
    }

    public void setSourceType(String sourceType) {
        this.sourceType = sourceType;
    }

    public String getSourceUrl() {
        return sourceUrl;
    }

    public void setSourceUrl(String sourceUrl) {
        this.sourceUrl = sourceUrl;
    }

    public String getSourceUser() {
        return sourceUser;
    }

    public void setSourceUser(String sourceUser) {
        this.sourceUser = sourceUser;
    }

    public String getPassword() {
        return null; // write-only
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public boolean isClearPassword() {
        return clearPassword;
    }

    public void setClearPassword(boolean clearPassword) {
        this.clearPassword = clearPassword;
    }

    public String getIntervalSeconds() {
        return intervalSeconds;
    }

    public void setIntervalSeconds(String intervalSeconds) {
        this.intervalSeconds = intervalSeconds;
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }
}
