package com.rva.it.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * Runs the README's demo command for real — WildFly on embedded H2, two collectors fed by the demo feed —
 * on shifted ports beside the in-server tests, until the portal's API counts visits.
 */
class RvaDemoIT {

    private static final int PORT_OFFSET = Integer.getInteger("rva.demo-it.port-offset", 400);

    @Test
    void demoShowsVisitsWithinMinutes() throws IOException, InterruptedException {
        Path root = new File(System.getProperty("rva.root", "..")).getCanonicalFile().toPath();
        Path state = Path.of("target", "demo-it").toAbsolutePath();
        Path output = Path.of("target", "demo-it.log").toAbsolutePath();
        Files.createDirectories(state);
        Process demo = new ProcessBuilder("bash", root.resolve("rva").toString(), "demo",
                "--port-offset=" + PORT_OFFSET, "--until-visits=3", "--timeout=420", "--state-dir=" + state)
                .redirectErrorStream(true).redirectOutput(output.toFile()).directory(root.toFile()).start();
        boolean finished = demo.waitFor(10, TimeUnit.MINUTES);
        if (!finished) {
            demo.destroy();
            demo.waitFor(60, TimeUnit.SECONDS);
        }
        String log = Files.readString(output, StandardCharsets.UTF_8);
        System.out.println(log);
        assertTrue(finished, "./rva demo did not finish within 10 minutes; its output is above");
        assertEquals(0, demo.exitValue(), "./rva demo failed; its output is above");
        assertTrue(log.contains("Portal:  http://localhost:" + (8080 + PORT_OFFSET) + "/rva/"), log);
        assertTrue(log.contains("Login:   admin / "), log);
        assertTrue(log.contains("DEMO OK customers="), log);
        assertTrue(log.contains("[rva] Stopped"), "everything stopped cleanly");
    }
}
