package com.rva.web.portal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class PortalUnitTest {

    @Test
    void passwordRules() {
        assertEquals("Enter your current password", PasswordView.problem("", "a-long-enough-one", "a-long-enough-one"));
        assertTrue(PasswordView.problem("old", "short", "short").contains("12 to 200"));
        assertTrue(PasswordView.problem("old", "x".repeat(201), "x".repeat(201)).contains("12 to 200"));
        assertEquals("The two new passwords differ", PasswordView.problem("old", "a-long-enough-one", "a-long-enough-two"));
        assertTrue(PasswordView.problem("a-long-enough-one", "a-long-enough-one", "a-long-enough-one").contains("differ"));
        assertNull(PasswordView.problem("old", "a-long-enough-one", "a-long-enough-one"));
    }

    @Test
    void chartLabelsCannotCloseTheScriptTheyLiveIn() {
        String json = ChartJson.chart("bar", List.of("</script><script>alert(1)</script>", "a\"b"),
                List.of(new ChartJson.Series("Visits", "#123456", List.of(1.0, 2.0))));
        assertFalse(json.contains("<"), json);
        assertTrue(json.contains("\\u003c/script>"), json);
        assertTrue(json.contains("a\\\"b"), json);
        assertTrue(json.startsWith("{\"type\":\"bar\""), json);
    }
}
