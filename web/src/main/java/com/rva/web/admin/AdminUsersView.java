package com.rva.web.admin;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import com.rva.application.security.LoginAttemptService;
import com.rva.application.security.OutOfScopeException;
import com.rva.application.security.PortalUserService;
import com.rva.domain.AppUser;
import com.rva.domain.Region;
import com.rva.domain.Store;
import com.rva.web.security.PasswordHashing;

import jakarta.ejb.EJB;
import jakarta.ejb.EJBException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

/**
 * Admin: the portal users with their roles and scopes; create one or change one (roles, regions, stores, a new
 * password), lift a lock-out. Every change is audited by the service.
 */
@Named
@ViewScoped
public class AdminUsersView implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A user as the table shows it. */
    public record Row(String username, String displayName, String roles, String regions, String stores,
            String lockedUntil) implements Serializable {
    }

    @EJB
    private PortalUserService users;

    @EJB
    private LoginAttemptService attempts;

    /** Looked up when needed: the hasher is not serializable, this view is. */
    private static Pbkdf2PasswordHash passwordHash() {
        return jakarta.enterprise.inject.spi.CDI.current().select(Pbkdf2PasswordHash.class).get();
    }

    private List<Row> rows = List.of();
    private List<String> regionChoices = List.of();
    private List<String> storeChoices = List.of();

    // the form
    private String username;
    private String displayName;
    private String password;
    private List<String> roles = new ArrayList<>();
    private List<String> regions = new ArrayList<>();
    private List<String> stores = new ArrayList<>();

    public void load() {
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC);
        rows = users.users().stream().map(u -> {
            LocalDateTime locked = users.lockedUntil(u.getUsername());
            return new Row(u.getUsername(), u.getDisplayName(), String.join(", ", new TreeSet<>(u.getRoles())),
                    u.getRegions().stream().map(Region::getCode).sorted().collect(Collectors.joining(", ")),
                    u.getStores().stream().map(Store::getCode).sorted().collect(Collectors.joining(", ")),
                    locked != null && locked.isAfter(now) ? locked.withNano(0).toString() : "");
        }).toList();
        regionChoices = users.regionCodes();
        storeChoices = users.storeCodes();
    }

    /** Fills the form with a user to change. */
    public void edit(Row row) {
        username = row.username();
        displayName = row.displayName();
        password = null;
        roles = split(row.roles());
        regions = split(row.regions());
        stores = split(row.stores());
    }

    public void save() {
        if (username == null || !username.matches("[A-Za-z0-9._@-]{1,100}")) {
            error("A user name has 1 to 100 letters, digits or . _ @ -");
            return;
        }
        if (password != null && !password.isEmpty() && password.length() < 12) {
            error("A password needs 12 characters or more");
            return;
        }
        String hash = password == null || password.isEmpty() ? null
                : PasswordHashing.hash(passwordHash(), password.toCharArray());
        try {
            users.saveAsAdmin(username, displayName, hash, new HashSet<>(roles), new HashSet<>(regions),
                    new HashSet<>(stores));
        } catch (IllegalArgumentException | OutOfScopeException e) {
            error(e.getMessage());
            return;
        } catch (EJBException e) {
            error("Could not save " + username + ": " + (e.getCause() == null ? e.getMessage() : e.getCause().getMessage()));
            return;
        }
        info("Saved " + username);
        username = displayName = password = null;
        roles = new ArrayList<>();
        regions = new ArrayList<>();
        stores = new ArrayList<>();
        load();
    }

    public void unlock(Row row) {
        attempts.unlock(row.username());
        info("Unlocked " + row.username());
        load();
    }

    private static List<String> split(String s) {
        return s == null || s.isBlank() ? new ArrayList<>() : new ArrayList<>(Arrays.asList(s.split(",\\s*")));
    }

    private static void error(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
    }

    private static void info(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
    }

    public List<Row> getRows() {
        return rows;
    }

    public List<String> getRoleChoices() {
        return List.of(AppUser.ROLE_ADMIN, AppUser.ROLE_REGIONAL_MANAGER, AppUser.ROLE_STORE_MANAGER);
    }

    public List<String> getRegionChoices() {
        return regionChoices;
    }

    public List<String> getStoreChoices() {
        return storeChoices;
    }

    public String getUsername() {
        return username;
    }

    public void setUsername(String username) {
        this.username = username == null ? null : username.trim();
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public String getPassword() {
        return password;
    }

    public void setPassword(String password) {
        this.password = password;
    }

    public List<String> getRoles() {
        return roles;
    }

    public void setRoles(List<String> roles) {
        this.roles = roles == null ? new ArrayList<>() : new ArrayList<>(roles);
    }

    public List<String> getRegions() {
        return regions;
    }

    public void setRegions(List<String> regions) {
        this.regions = regions == null ? new ArrayList<>() : new ArrayList<>(regions);
    }

    public List<String> getStores() {
        return stores;
    }

    public void setStores(List<String> stores) {
        this.stores = stores == null ? new ArrayList<>() : new ArrayList<>(stores);
    }

    /** For tests: the set form of the roles. */
    Set<String> roleSet() {
        return new HashSet<>(roles);
    }
}
