package com.rva.application.admin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AdminInputTest {

    @Test
    void codesAreShortAndPlain() {
        assertEquals("store_001", AdminInput.code("Store code", " store_001 "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AdminInput.code("Store code", "<script>alert(1)</script>"));
        assertTrue(e.getMessage().startsWith("Store code must be"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdminInput.code("Store code", "x".repeat(65)));
        assertThrows(IllegalArgumentException.class, () -> AdminInput.code("Store code", ""));
    }

    @Test
    void namesMayHoldMarkupButNoControlCharacters() {
        assertEquals("<b>bold</b>", AdminInput.text("Name", "<b>bold</b>", 200));
        assertThrows(IllegalArgumentException.class, () -> AdminInput.text("Name", "a\u0000b", 200));
        assertThrows(IllegalArgumentException.class, () -> AdminInput.text("Name", "  ", 200));
        assertThrows(IllegalArgumentException.class, () -> AdminInput.text("Name", "x".repeat(201), 200));
    }

    @Test
    void emailAddressesArePlain() {
        assertEquals("Ann.Lee@example.com", AdminInput.email(" Ann.Lee@Example.COM "));
        for (String bad : new String[] {"ann", "ann@", "@example.com", "ann@example", "a b@example.com",
                "<script>@example.com", "ann@example.com\r\nBcc: x@evil.com", "\"Ann\" <ann@example.com>"}) {
            assertThrows(IllegalArgumentException.class, () -> AdminInput.email(bad), bad);
        }
    }

    @Test
    void wholeNumbersInRange() {
        assertEquals(15, AdminInput.whole("Interval", "15", 1, 3600));
        assertThrows(IllegalArgumentException.class, () -> AdminInput.whole("Interval", "0", 1, 3600));
        assertThrows(IllegalArgumentException.class, () -> AdminInput.whole("Interval", "-5", 1, 3600));
        assertThrows(IllegalArgumentException.class, () -> AdminInput.whole("Interval", "99999999999", 1, 3600));
        assertThrows(IllegalArgumentException.class, () -> AdminInput.whole("Interval", "1.5", 1, 3600));
    }

    @Test
    void cameraPasswordsAreMaskedAndKeptWhenTheMaskComesBack() {
        String stored = "rtsp://viewer:s3cret@10.0.0.5:554/stream";
        assertEquals("rtsp://viewer:****@10.0.0.5:554/stream", CameraSources.mask(stored));
        assertEquals("http://10.0.0.5/snap.jpg", CameraSources.mask("http://10.0.0.5/snap.jpg"));
        // the page shows the masked URL; saving it unchanged keeps the password
        assertEquals(stored, CameraSources.url("RTSP", CameraSources.mask(stored), stored));
        assertEquals("rtsp://10.0.0.6/x", CameraSources.url("RTSP", "rtsp://10.0.0.6/x", stored));
        assertThrows(IllegalArgumentException.class, () -> CameraSources.url("HTTP", "javascript:alert(1)", null));
        assertThrows(IllegalArgumentException.class, () -> CameraSources.url("FOLDER", "relative/dir", null));
        assertThrows(IllegalArgumentException.class, () -> CameraSources.type("FTP"));
        assertEquals("USB", CameraSources.type("usb"));
    }
}
