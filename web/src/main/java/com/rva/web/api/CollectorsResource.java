package com.rva.web.api;

import java.util.List;

import com.rva.application.analytics.UnknownStoreException;
import com.rva.application.collectors.CollectorCredentialException;
import com.rva.application.collectors.CollectorCredentialService;
import com.rva.application.collectors.CollectorOverview;
import com.rva.application.collectors.CollectorsService;
import com.rva.application.collectors.IssuedCredentials;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * Store collectors, for admins: each collector with its credentials' dates and latest heartbeat, and creating or
 * rotating a store's collector credentials. The new secret is in the answer once (never cached, never stored: only
 * its salted hash, which the server's broker checks at login).
 */
@Path("collectors")
@RequestScoped
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class CollectorsResource {

    @EJB
    CollectorCredentialService credentials;

    @EJB
    CollectorsService collectors;

    /** Every collector account and heartbeat, by store (see {@link CollectorOverview}). */
    @GET
    public List<CollectorOverview> list() {
        return collectors.overview();
    }

    /** 201 with the new account and secret, or 200 with the rotated secret of the existing account. */
    @POST
    @Path("{store}/credentials")
    public Response issue(@PathParam("store") String store, @QueryParam("login") String login) {
        try {
            IssuedCredentials issued = credentials.issue(store, login);
            CacheControl noStore = new CacheControl();
            noStore.setNoStore(true);
            return Response.status(issued.created() ? Status.CREATED : Status.OK).cacheControl(noStore)
                    .entity(new CredentialsJson(issued)).build();
        } catch (UnknownStoreException e) {
            return Response.status(Status.NOT_FOUND).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(404, "store", e.getMessage())).build();
        } catch (CollectorCredentialException e) {
            return Response.status(Status.BAD_REQUEST).type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(400, "login", e.getMessage())).build();
        }
    }

    /** The JSON of new credentials. */
    public static class CredentialsJson {
        public String store;
        public String login;
        public String secret;
        public boolean created;
        public String secretSetAt;

        public CredentialsJson() {
        }

        CredentialsJson(IssuedCredentials c) {
            store = c.store();
            login = c.login();
            secret = c.secret();
            created = c.created();
            secretSetAt = c.secretSetAt() + "Z";
        }
    }
}
