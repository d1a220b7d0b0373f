package com.rva.web.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PageParametersTest {

    @Test
    void defaultsAndGivenValues() {
        assertEquals(new PageParameters(0, 50), PageParameters.parse(null, " "));
        assertEquals(new PageParameters(100, 1000), PageParameters.parse("100", "1000"));
    }

    @Test
    void hugeNegativeAndNonNumericPagesAreRefusedNamingTheParameter() {
        assertEquals("size", assertThrows(InvalidParameterException.class, () -> PageParameters.parse("0", "1001"))
                .getParameter());
        assertEquals("size", assertThrows(InvalidParameterException.class,
                () -> PageParameters.parse("0", "99999999999999")).getParameter());
        assertEquals("size", assertThrows(InvalidParameterException.class, () -> PageParameters.parse("0", "0"))
                .getParameter());
        assertEquals("first", assertThrows(InvalidParameterException.class, () -> PageParameters.parse("-1", null))
                .getParameter());
        InvalidParameterException e = assertThrows(InvalidParameterException.class,
                () -> PageParameters.parse("<script>", null));
        assertTrue(e.getMessage().contains("'<script>'"), e.getMessage());
    }

    @Test
    void idsArePositiveNumbers() {
        assertEquals(42L, PageParameters.id("id", "42"));
        for (String bad : new String[] {"0", "-3", "abc", "1e3", ""}) {
            assertEquals("id", assertThrows(InvalidParameterException.class, () -> PageParameters.id("id", bad))
                    .getParameter(), bad);
        }
    }
}
