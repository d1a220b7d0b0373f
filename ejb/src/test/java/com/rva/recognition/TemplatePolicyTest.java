package com.rva.recognition;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class TemplatePolicyTest {

    private final TemplatePolicy policy = new TemplatePolicy(2);

    @Test
    void addsWhileThereIsRoomThenReplacesTheWorstWithABetterOne() {
        assertEquals(new TemplatePolicy.Decision(true, Optional.empty()),
                policy.onAttach(List.of(new TemplatePolicy.Kept(1, 0.5f)), 0.1f));
        List<TemplatePolicy.Kept> full = List.of(new TemplatePolicy.Kept(1, 0.9f), new TemplatePolicy.Kept(2, 0.6f));
        TemplatePolicy.Decision better = policy.onAttach(full, 0.7f);
        assertTrue(better.keep());
        assertEquals(Optional.of(2L), better.replaces());
        assertFalse(policy.onAttach(full, 0.6f).keep(), "not better than the worst: not kept");
        assertThrows(IllegalArgumentException.class, () -> new TemplatePolicy(0));
    }
}
