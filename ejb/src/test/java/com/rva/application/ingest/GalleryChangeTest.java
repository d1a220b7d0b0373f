package com.rva.application.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.junit.jupiter.api.Test;

class GalleryChangeTest {

    @Test
    void aChangeTravelsAsItsIdsAndComesBackTheSame() {
        GalleryChange change = GalleryChange.of(GalleryChange.Reason.TEMPLATE_KEPT, List.of(42L, 7L, 42L));
        assertEquals(List.of(42L, 7L), change.templateIds(), "distinct, in order");
        assertEquals("42,7", change.body());
        assertEquals(change, GalleryChange.parse("TEMPLATE_KEPT", change.body()));
        assertEquals(List.of(1L, 2L), GalleryChange.parse(" PURGED ", " 1 , 2 ").templateIds());
    }

    @Test
    void aMalformedMessageIsRefusedWithItsReason() {
        assertMalformed("ENROLLED", "", "no template ids");
        assertMalformed("ENROLLED", null, "no template ids");
        assertMalformed("ENROLLED", "12,abc", "'abc' is not a template id");
        assertMalformed("ENROLLED", "12,", "'' is not a template id");
        assertMalformed("ENROLLED", "12,,13", "'' is not a template id");
        assertMalformed("ENROLLED", "0", "ids are positive");
        assertMalformed("ENROLLED", "-5", "ids are positive");
        assertMalformed("ENROLLED", "99999999999999999999", "is not a template id");
        assertMalformed("DROP TABLE", "1", "unknown reason");
        assertMalformed(null, "1", "unknown reason");
        String tooMany = LongStream.rangeClosed(1, GalleryChange.MAX_IDS + 1).mapToObj(String::valueOf)
                .collect(Collectors.joining(","));
        assertMalformed("PURGED", tooMany, "more than " + GalleryChange.MAX_IDS);
        assertThrows(IllegalArgumentException.class, () -> GalleryChange.of(GalleryChange.Reason.MOVED, List.of()));
    }

    private static void assertMalformed(String reason, String body, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GalleryChange.parse(reason, body));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
