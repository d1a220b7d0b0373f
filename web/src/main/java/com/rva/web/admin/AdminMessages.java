package com.rva.web.admin;

import com.rva.application.security.OutOfScopeException;

import jakarta.ejb.EJBException;
import jakarta.faces.application.FacesMessage;
import jakarta.faces.context.FacesContext;

/** The messages of the admin pages: a refused value names the field; nothing unexpected leaks a stack trace. */
final class AdminMessages {

    private AdminMessages() {
    }

    /** Runs an admin action; true when it succeeded, otherwise the reason is shown and false returned. */
    static boolean attempt(Runnable action, String success) {
        try {
            action.run();
        } catch (IllegalArgumentException | OutOfScopeException e) {
            error(e.getMessage());
            return false;
        } catch (EJBException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            error(cause instanceof IllegalArgumentException || cause instanceof OutOfScopeException ? cause.getMessage()
                    : "Not saved: " + cause.getClass().getSimpleName());
            return false;
        }
        info(success);
        return true;
    }

    static void error(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_ERROR, text, null));
    }

    static void info(String text) {
        FacesContext.getCurrentInstance().addMessage(null, new FacesMessage(FacesMessage.SEVERITY_INFO, text, null));
    }
}
