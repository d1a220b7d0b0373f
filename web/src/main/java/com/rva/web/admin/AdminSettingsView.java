package com.rva.web.admin;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import com.rva.application.settings.Setting;
import com.rva.application.settings.SettingsService;

import jakarta.ejb.EJB;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;

/**
 * Admin: the run-time settings (match threshold, merge floor, visit gap, k-anonymity, retention, ...). Each is
 * saved on its own; a value out of range is refused with the setting's rule and nothing is stored. The service
 * audits every change with the old and the new value.
 */
@Named
@ViewScoped
public class AdminSettingsView implements Serializable {

    private static final long serialVersionUID = 1L;

    /** One setting as the page edits it. */
    public static class Row implements Serializable {

        private static final long serialVersionUID = 1L;

        private final Setting setting;
        private String current;
        private String value;

        Row(Setting setting, String current) {
            this.setting = setting;
            this.current = current;
            this.value = current;
        }

        public String getKey() {
            return setting.key();
        }

        public String getExpected() {
            return setting.expected();
        }

        public String getDefaultValue() {
            return setting.defaultValue();
        }

        public String getCurrent() {
            return current;
        }

        public String getValue() {
            return value;
        }

        public void setValue(String value) {
            this.value = value;
        }
    }

    @EJB
    private SettingsService settings;

    private List<Row> rows = new ArrayList<>();

    public void load() {
        rows = new ArrayList<>();
        for (Setting s : Setting.values()) {
            rows.add(new Row(s, settings.get(s)));
        }
    }

    public void save(Row row) {
        String[] stored = new String[1];
        if (AdminMessages.attempt(() -> stored[0] = settings.change(row.setting, row.value),
                "Saved " + row.getKey())) {
            row.current = stored[0];
            row.value = stored[0];
        } else {
            row.value = row.current; // nothing was stored: show what is in force
        }
    }

    public List<Row> getRows() {
        return rows;
    }
}
