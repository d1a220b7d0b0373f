package com.rva.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EdgeCollectorMainTest {

    @Test
    void wrongSettingExitsWithCode2NamingTheSettingWithoutSecrets(@TempDir Path tmp) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = EdgeCollectorMain.run(new String[] {"--store.id=store_001", "--server.user=c",
                "--server.password=top-secret", "--cameras=cam-1", "--camera.cam-1.source=folder:" + tmp,
                "--camera.cam-1.interval-seconds=-5", "--state.dir=" + tmp.resolve("state")});
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code);
        assertTrue(text.contains("camera.cam-1.interval-seconds: -5 is out of range"), text);
        assertFalse(text.contains("top-secret"), text);
    }
}
