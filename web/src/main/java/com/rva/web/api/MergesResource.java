package com.rva.web.api;

import com.rva.application.batch.IdentityConsolidationOperations;
import com.rva.application.batch.IdentityConsolidationOperations.MergeNotUndoableException;
import com.rva.application.batch.IdentityConsolidationOperations.UnknownMergeException;
import com.rva.application.consolidation.IdentityConsolidationService;
import com.rva.application.consolidation.MergeResult;
import com.rva.web.support.PageParameters;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.Response.Status;

/**
 * Identity-consolidation merges for admins: the audit rows of the nightly job's merges, newest first, and undoing
 * one (its sightings and templates go back, visits and aggregates are rebuilt, the undo is audited; the two
 * customers are never merged again).
 */
@Path("merges")
@RequestScoped
@RolesAllowed("ADMIN")
@Produces(MediaType.APPLICATION_JSON)
public class MergesResource {

    @EJB
    IdentityConsolidationService consolidation;

    @EJB
    IdentityConsolidationOperations operations;

    @GET
    public Page<MergeJson> merges(@QueryParam(PageParameters.FIRST) String first,
            @QueryParam(PageParameters.SIZE) String size) {
        PageParameters page = PageParameters.parse(first, size);
        return new Page<>(consolidation.countMerges(), page.first(), page.size(),
                consolidation.merges(page.first(), page.size()).stream().map(MergeJson::of).toList());
    }

    /** 200 with what went back; 404 for an unknown merge; 409 when it was undone already or cannot be yet. */
    @POST
    @Path("{id}/undo")
    public Response undo(@PathParam("id") String id) {
        long mergeId = PageParameters.id("id", id);
        try {
            MergeResult result = operations.undo(mergeId);
            MergeJson merge = consolidation.findMerge(mergeId).map(MergeJson::of).orElseThrow();
            return Response.ok(new UndoJson(merge, result.sightings(), result.templates())).build();
        } catch (UnknownMergeException e) {
            return Response.status(Status.NOT_FOUND).entity(new ApiError(404, null, e.getMessage())).build();
        } catch (MergeNotUndoableException e) {
            return Response.status(Status.CONFLICT).entity(new ApiError(409, null, e.getMessage())).build();
        }
    }

    /** The merge after its undo, and how many sightings and templates went back to the absorbed customer. */
    public record UndoJson(MergeJson merge, int sightingsBack, int templatesBack) {
    }
}
