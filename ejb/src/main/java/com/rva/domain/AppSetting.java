package com.rva.domain;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** One admin-editable setting; a missing row means the shipped default. */
@Entity
@Table(name = "app_setting")
public class AppSetting {

    @Id
    @Column(length = 100)
    private String name;

    @Column(name = "setting_value", nullable = false, length = 1000)
    private String settingValue;

    protected AppSetting() {
    }

    public AppSetting(String name, String settingValue) {
        this.name = name;
        this.settingValue = settingValue;
    }

    public String getName() {
        return name;
    }

    public String getSettingValue() {
        return settingValue;
    }

    public void setSettingValue(String settingValue) {
        this.settingValue = settingValue;
    }
}
