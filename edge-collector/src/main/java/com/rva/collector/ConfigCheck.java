package com.rva.collector;

import com.rva.collector.config.CameraSettings;
import com.rva.collector.config.CollectorSettings;
import com.rva.collector.source.Frame;
import com.rva.collector.source.FrameSource;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * {@code edge-collector check CONFIG}: after the settings validated, tries what the collector will need — each
 * camera (a folder exists and is readable; a snapshot URL answers with an image) and the server (logs in with the
 * configured credentials) — and prints one line per check. Reads nothing destructively: no frame is consumed.
 */
final class ConfigCheck {

    private final CollectorSettings settings;
    private final PrintStream out;
    private int failures;

    ConfigCheck(CollectorSettings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** @return the number of failed checks */
    int run() {
        out.println("settings: OK (" + settings.cameras().size() + " camera(s), store " + settings.storeId() + ")");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        for (CameraSettings camera : settings.cameras()) {
            camera(camera, http);
        }
        server();
        out.println(failures == 0 ? "CHECK OK" : "CHECK FAILED: " + failures + " problem(s)");
        return failures;
    }

    private void camera(CameraSettings camera, HttpClient http) {
        String name = "camera " + camera.id() + " (" + camera.describeSource() + ")";
        if (camera.isFolder()) {
            // polling a folder lists it without consuming anything
            try {
                int waiting = FrameSource.of(camera, http).poll().size();
                ok(name, "folder readable, " + waiting + " frame(s) waiting");
            } catch (IOException | RuntimeException e) {
                fail(name, e.toString());
            }
            return;
        }
        if (camera.isStream()) {
            stream(name, camera, http);
            return;
        }
        try {
            List<Frame> frames = FrameSource.of(camera, http).poll();
            if (frames.isEmpty()) {
                fail(name, "answered without an image");
                return;
            }
            byte[] image = frames.get(0).read();
            if (isJpegOrPng(image)) {
                ok(name, "snapshot of " + image.length + " bytes");
            } else {
                fail(name, "answered " + image.length + " bytes that are neither JPEG nor PNG");
            }
        } catch (IOException | RuntimeException e) {
            fail(name, e.getMessage() == null ? e.toString() : e.getMessage());
        }
    }

    /** A stream needs a moment to open: wait up to 15 s for its first frame. */
    private void stream(String name, CameraSettings camera, HttpClient http) {
        FrameSource source = FrameSource.of(camera, http);
        String last = "no frame";
        try {
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (System.nanoTime() < deadline) {
                try {
                    List<Frame> frames = source.poll();
                    if (!frames.isEmpty()) {
                        ok(name, "frame of " + frames.get(0).read().length + " bytes");
                        return;
                    }
                } catch (IOException e) {
                    last = e.getMessage();
                }
                Thread.sleep(250);
            }
            fail(name, last);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(name, "interrupted");
        } finally {
            if (source instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // checking only
                }
            }
        }
    }

    private void server() {
        String name = "server " + settings.serverUrl() + (settings.trustStore() == null ? "" : " (TLS)") + " as "
                + settings.serverUser();
        try (ActiveMQConnectionFactory cf = new ActiveMQConnectionFactory(settings.connectorUrl())) {
            cf.setInitialConnectAttempts(1);
            cf.setReconnectAttempts(0);
            cf.setCallTimeout(10_000);
            try (Connection c = cf.createConnection(settings.serverUser(), settings.serverPassword())) {
                c.start();
                ok(name, "logged in");
            }
        } catch (JMSSecurityException e) {
            fail(name, "the server refused the login: check server.user and server.password");
        } catch (JMSException | RuntimeException e) {
            fail(name, "cannot connect: " + e.getMessage());
        }
    }

    static boolean isJpegOrPng(byte[] b) {
        boolean jpeg = b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
        boolean png = b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
        return jpeg || png;
    }

    private void ok(String what, String detail) {
        out.println(what + ": OK, " + detail);
    }

    private void fail(String what, String detail) {
        failures++;
        out.println(what + ": FAILED, " + detail);
    }
}
