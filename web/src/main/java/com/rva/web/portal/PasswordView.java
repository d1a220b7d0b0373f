package com.rva.web.portal;

import java.io.Serializable;
import java.util.Arrays;

import com.rva.application.security.PortalUserService;
import com.rva.web.security.PasswordHashing;

import jakarta.ejb.EJB;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;
import jakarta.faces.view.ViewScoped;
import jakarta.inject.Named;
import jakarta.security.enterprise.identitystore.Pbkdf2PasswordHash;

/**
 * The password change page: the current password, then the new one twice. The user is the signed-in one; the
 * page is a Faces protected view (a link with a token from the portal is needed) and its post carries the view
 * state, so another site can neither open nor submit it for the user.
 */
@Named
@ViewScoped
public class PasswordView implements Serializable {

    private static final long serialVersionUID = 1L;

    static final int MIN_LENGTH = 12;
    static final int MAX_LENGTH = 200;

    @EJB
    private PortalUserService users;

    /** Looked up when needed: the hasher is not serializable, this view is. */
    private static Pbkdf2PasswordHash passwordHash() {
        return jakarta.enterprise.inject.spi.CDI.current().select(Pbkdf2PasswordHash.class).get();
    }


    private String current;
    private String replacement;
    private String confirmation;
    private boolean changed;

    public void change() {
        String problem = problem(current, replacement, confirmation);
        if (problem == null) {
            String stored = users.passwordHash(FacesContext.getCurrentInstance().getExternalContext().getUserPrincipal().getName());
            Pbkdf2PasswordHash hasher = passwordHash();
            hasher.initialize(PasswordHashing.PARAMETERS);
            if (stored == null || !hasher.verify(current.toCharArray(), stored)) {
                problem = "The current password is not right";
            }
        }
        if (problem != null) {
            FacesContext.getCurrentInstance().addMessage(null,
                    new FacesMessage(FacesMessage.SEVERITY_ERROR, problem, null));
            return;
        }
        char[] chars = replacement.toCharArray();
        try {
            users.changeOwnPassword(PasswordHashing.hash(passwordHash(), chars));
        } finally {
            Arrays.fill(chars, '\0');
        }
        current = replacement = confirmation = null;
        changed = true;
        FacesContext.getCurrentInstance().addMessage(null,
                new FacesMessage(FacesMessage.SEVERITY_INFO, "Your password has been changed", null));
    }

    /** What is wrong with the form before the current password is even checked, or null. */
    static String problem(String current, String replacement, String confirmation) {
        if (current == null || current.isEmpty()) {
            return "Enter your current password";
        }
        if (replacement == null || replacement.length() < MIN_LENGTH || replacement.length() > MAX_LENGTH) {
            return "The new password needs " + MIN_LENGTH + " to " + MAX_LENGTH + " characters";
        }
        if (!replacement.equals(confirmation)) {
            return "The two new passwords differ";
        }
        if (replacement.equals(current)) {
            return "The new password must differ from the current one";
        }
        return null;
    }

    public boolean isChanged() {
        return changed;
    }

    public String getCurrent() {
        return current;
    }

    public void setCurrent(String current) {
        this.current = current;
    }

    public String getReplacement() {
        return replacement;
    }

    public void setReplacement(String replacement) {
        this.replacement = replacement;
    }

    public String getConfirmation() {
        return confirmation;
    }

    public void setConfirmation(String confirmation) {
        this.confirmation = confirmation;
    }
}
