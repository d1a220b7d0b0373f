package com.rva.infrastructure.messaging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.rva.application.ingest.GalleryChange;
import com.rva.application.ingest.GalleryChange.Reason;

class GalleryTopicPublisherTest {

    @Test
    void changesQueuedTogetherGoAsFewMessagesOfBoundedSize() {
        List<GalleryChange> queued = List.of(GalleryChange.of(Reason.ENROLLED, List.of(1L)),
                GalleryChange.of(Reason.ENROLLED, List.of(2L)), GalleryChange.of(Reason.TEMPLATE_KEPT, List.of(3L, 4L)),
                GalleryChange.of(Reason.PURGED, List.of(5L, 6L, 7L)), GalleryChange.of(Reason.PURGED, List.of(8L)));
        assertEquals(List.of(GalleryChange.of(Reason.BATCH, List.of(1L, 2L, 3L, 4L)),
                GalleryChange.of(Reason.PURGED, List.of(5L, 6L, 7L, 8L))), GalleryTopicPublisher.coalesce(queued, 4));
        assertEquals(List.of(GalleryChange.of(Reason.ENROLLED, List.of(1L, 2L))),
                GalleryTopicPublisher.coalesce(queued.subList(0, 2), 4));
        // one change larger than the bound still goes whole (GalleryChange.MAX_IDS bounds it)
        assertEquals(List.of(GalleryChange.of(Reason.PURGED, List.of(5L, 6L, 7L)), GalleryChange.of(Reason.PURGED, List.of(8L))),
                GalleryTopicPublisher.coalesce(queued.subList(3, 5), 2));
    }
}
