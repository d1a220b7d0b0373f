package com.rva.collector.source;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** A camera's snapshot URL (JPEG), fetched once per tick, with optional basic authentication. */
public final class HttpSnapshotSource implements FrameSource {

    private static final Duration MAX_TIMEOUT = Duration.ofSeconds(10);

    private final HttpClient http;
    private final URI url;
    private final String authorization;
    private final Duration timeout;

    /**
     * @param user     basic-auth user, or null for none
     * @param password basic-auth password, or null
     * @param interval the camera's tick interval: a request never outlives it
     */
    public HttpSnapshotSource(HttpClient http, URI url, String user, String password, Duration interval) {
        this.http = http;
        this.url = url;
        this.authorization = user == null ? null : "Basic " + Base64.getEncoder()
                .encodeToString((user + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
        this.timeout = interval.compareTo(MAX_TIMEOUT) < 0 ? interval : MAX_TIMEOUT;
    }

    @Override
    public List<Frame> poll() throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<byte[]> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        }
        Instant capturedAt = Instant.now();
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new IOException("HTTP " + response.statusCode() + " from " + url
                    + ": check the camera's .user and .password settings");
        }
        if (response.statusCode() != 200) {
            throw new IOException("HTTP " + response.statusCode() + " from " + url);
        }
        byte[] body = response.body();
        if (body == null || body.length == 0) {
            throw new IOException("empty snapshot from " + url);
        }
        return List.of(Frame.inMemory(url.toString(), capturedAt, body));
    }

    @Override
    public String describe() {
        return url.toString();
    }
}
