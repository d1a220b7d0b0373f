package com.rva.application.settings;

import java.time.Duration;
import java.util.logging.Logger;

import com.rva.domain.AppSetting;
import com.rva.infrastructure.persistence.AfterCompletion;

import jakarta.ejb.Stateless;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** Reads and changes the admin-editable settings; an unset setting has its shipped default. */
@Stateless
public class SettingsService {

    private static final Logger LOG = Logger.getLogger(SettingsService.class.getName());

    @PersistenceContext(unitName = "rva")
    private EntityManager em;

    @jakarta.ejb.EJB
    private com.rva.application.security.CallerScopeService scopes;

    @jakarta.ejb.EJB
    private com.rva.application.audit.AuditService audit;

    /** Marks a transaction that changed a setting (its reads bypass the cache). */
    private static final String CHANGED = SettingsService.class.getName() + ".changed";

    @jakarta.ejb.EJB
    private SettingsCache cache;

    @jakarta.annotation.Resource
    private jakarta.transaction.TransactionSynchronizationRegistry txRegistry;

    /** The setting's value (cached: {@link SettingsCache}). */
    public String get(Setting setting) {
        if (changedHere()) {
            return read(setting);
        }
        return cache.get(setting, () -> read(setting));
    }

    /** What the ingest of one crop reads from the settings. */
    public record IngestValues(double matchThreshold, int templatesPerCustomer, Duration visitGap) {
    }

    private static final Setting[] INGEST = {Setting.MATCH_THRESHOLD, Setting.TEMPLATES_PER_CUSTOMER,
            Setting.VISIT_GAP_MINUTES};

    /**
     * The ingest's settings in one call, as {@link #get} gives each (cached; read around the cache in a transaction
     * that changed a setting): every call through this bean's proxy and the cache's costs about as much as the look-up.
     */
    public IngestValues ingestValues() {
        String[] v;
        if (changedHere()) {
            v = new String[INGEST.length];
            for (int i = 0; i < INGEST.length; i++) {
                v[i] = read(INGEST[i]);
            }
        } else {
            v = cache.getAll(INGEST, this::read);
        }
        return new IngestValues(Double.parseDouble(v[0]), Integer.parseInt(v[1]),
                Duration.ofMinutes(Long.parseLong(v[2])));
    }

    /**
     * Whether this transaction changed a setting: then its reads go around the cache, to see what it wrote without
     * sharing that before the commit.
     */
    private boolean changedHere() {
        return txRegistry.getTransactionKey() != null && txRegistry.getResource(CHANGED) != null;
    }

    private String read(Setting setting) {
        AppSetting row = em.find(AppSetting.class, setting.key());
        if (row == null) {
            return setting.defaultValue();
        }
        try {
            return setting.validate(row.getSettingValue());
        } catch (IllegalArgumentException e) {
            LOG.warning(() -> e.getMessage() + "; using the default " + setting.defaultValue());
            return setting.defaultValue();
        }
    }

    public double getDouble(Setting setting) {
        return Double.parseDouble(get(setting));
    }

    public int getInt(Setting setting) {
        return Integer.parseInt(get(setting));
    }

    public Duration visitGap() {
        return Duration.ofMinutes(Long.parseLong(get(Setting.VISIT_GAP_MINUTES)));
    }

    /**
     * An admin's change: validated (a refused value is not stored), then written to the audit log with the old
     * and the new value. Returns the stored value.
     *
     * @throws IllegalArgumentException naming the setting and what it expects
     * @throws com.rva.application.security.OutOfScopeException for a caller who is not an admin
     */
    public String change(Setting setting, String value) {
        if (!scopes.current().allStores()) {
            throw new com.rva.application.security.OutOfScopeException("Only an admin may change settings");
        }
        String valid;
        try {
            valid = setting.validate(value);
        } catch (IllegalArgumentException e) {
            throw new com.rva.application.admin.InvalidInputException(e.getMessage());
        }
        String old = get(setting);
        if (!old.equals(valid)) {
            set(setting, valid);
            audit.record(com.rva.application.audit.AuditService.SETTING_CHANGE, setting.key() + ": " + old + " -> " + valid);
        }
        return valid;
    }

    /**
     * @throws IllegalArgumentException when the value is not valid for the setting
     */
    public void set(Setting setting, String value) {
        String valid = setting.validate(value);
        AppSetting row = em.find(AppSetting.class, setting.key());
        if (row == null) {
            em.persist(new AppSetting(setting.key(), valid));
        } else {
            row.setSettingValue(valid);
        }
        cache.invalidate();
        if (txRegistry.getTransactionKey() != null && txRegistry.getResource(CHANGED) == null) {
            txRegistry.putResource(CHANGED, Boolean.TRUE);
            // readers inside this transaction may cache the new value; a rollback must not leave it cached
            AfterCompletion.register(txRegistry, committed -> cache.invalidate());
        }
        LOG.info(() -> "Setting " + setting.key() + " changed to " + valid);
    }
}
