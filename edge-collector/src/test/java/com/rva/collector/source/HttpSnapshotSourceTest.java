package com.rva.collector.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpSnapshotSourceTest {

    private static final byte[] JPEG = {(byte) 0xff, (byte) 0xd8, 1, 2, 3};
    private HttpServer server;
    private URI url;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void startCamera() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        String expected = "Basic " + Base64.getEncoder().encodeToString("viewer:pw".getBytes(StandardCharsets.UTF_8));
        server.createContext("/snapshot.jpg", exchange -> {
            boolean ok = expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = ok ? JPEG : new byte[0];
            exchange.sendResponseHeaders(ok ? 200 : 401, body.length == 0 ? -1 : body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/snapshot.jpg");
    }

    @AfterEach
    void stopCamera() {
        server.stop(0);
    }

    @Test
    void fetchesOneSnapshotPerTickWithBasicAuth() throws Exception {
        HttpSnapshotSource source = new HttpSnapshotSource(http, url, "viewer", "pw", Duration.ofSeconds(15));
        List<Frame> frames = source.poll();
        assertEquals(1, frames.size());
        assertArrayEquals(JPEG, frames.get(0).read());
    }

    @Test
    void wrongCredentialsAreReportedWithoutTheSecret() {
        HttpSnapshotSource source = new HttpSnapshotSource(http, url, "viewer", "wrong-secret", Duration.ofSeconds(15));
        IOException e = assertThrows(IOException.class, source::poll);
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertFalse(e.getMessage().contains("wrong-secret"));
    }

    @Test
    void unreachableCameraIsAnIOException() {
        server.stop(0);
        HttpSnapshotSource source = new HttpSnapshotSource(http, url, null, null, Duration.ofSeconds(2));
        assertThrows(IOException.class, source::poll);
    }
}
