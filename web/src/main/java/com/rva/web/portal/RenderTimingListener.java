package com.rva.web.portal;

import com.rva.application.analytics.PortalTiming;

import jakarta.faces.event.PhaseEvent;
import jakarta.faces.event.PhaseId;
import jakarta.faces.event.PhaseListener;

/**
 * With {@code -Drva.portal.timing=true}: how long Faces takes to render a page (the lazy tables load their page
 * while rendering), next to the services' own phases ({@link PortalTiming}). A no-op otherwise.
 */
public class RenderTimingListener implements PhaseListener {

    private static final long serialVersionUID = 1L;
    private static final String KEY = RenderTimingListener.class.getName();

    @Override
    public void beforePhase(PhaseEvent event) {
        if (PortalTiming.enabled()) {
            jakarta.faces.component.UIViewRoot view = event.getFacesContext().getViewRoot();
            event.getFacesContext().getAttributes().put(KEY, PortalTiming.start("render "
                    + (view == null ? "?" : view.getViewId())));
        }
    }

    @Override
    public void afterPhase(PhaseEvent event) {
        Object tm = event.getFacesContext().getAttributes().get(KEY);
        if (tm instanceof PortalTiming t) {
            t.mark("render");
            t.done();
        }
    }

    @Override
    public PhaseId getPhaseId() {
        return PhaseId.RENDER_RESPONSE;
    }
}
