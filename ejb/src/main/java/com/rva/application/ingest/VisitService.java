package com.rva.application.ingest;

import com.rva.domain.Sighting;
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
}
