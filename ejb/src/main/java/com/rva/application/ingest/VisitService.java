package com.rva.application.ingest;

import java.util.List;

import com.rva.domain.Customer;
import com.rva.domain.Sighting;
import com.rva.domain.Store;
import com.rva.domain.Visit;

/**
 * Groups sightings into visits: a run of sightings of one customer in one store with no gap longer than
 * the visit gap setting.
 */
public interface VisitService {

    /**
     * Records a new sighting: puts it into the visit of the same customer and store within the visit gap
     * (stretching it), merges the visits a late sighting bridges, or opens a new visit; then persists it.
     *
     * @return the visit the sighting now belongs to
     */
    Visit record(Sighting sighting);

    /**
     * Rebuilds the visits of some customers in one store from their sightings (after a consolidation merge or
     * its undo moved sightings between them): old visits are replaced; a customer with no sighting left there
     * keeps no visit there. All customers a move touched must be rebuilt in one call: a sighting may still point
     * at a visit of the customer it left.
     */
    void rebuild(Store store, List<Customer> customers);
}
