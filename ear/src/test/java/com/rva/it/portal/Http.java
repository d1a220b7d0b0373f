package com.rva.it.portal;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** Plain HTTP calls to the deployed portal and API from the test JVM, redirects not followed. */
final class Http {

    static final String ADMIN = "admin";
    /** The password arquillian.xml gives the server for its first administrator. */
    static final String ADMIN_PASSWORD = "it-admin-secret";

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    private Http() {
    }

    static URI uri(URL base, String path) {
        String b = base.toExternalForm();
        return URI.create((b.endsWith("/") ? b : b + "/") + path);
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(UTF_8));
    }

    static HttpResponse<String> get(URI uri, String... headers) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    static HttpResponse<String> postForm(URI uri, Map<String, String> form, String... headers)
            throws IOException, InterruptedException {
        String body = form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), UTF_8) + "=" + URLEncoder.encode(e.getValue(), UTF_8))
                .collect(Collectors.joining("&"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString(UTF_8));
    }

    /** The Set-Cookie header that sets JSESSIONID, if any. */
    static Optional<String> sessionCookieHeader(HttpResponse<?> response) {
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.startsWith("JSESSIONID="))
                .findFirst();
    }

    /** The session cookie the response sets, or {@code current} when it sets none. */
    static String sessionCookie(HttpResponse<?> response, String current) {
        return sessionCookieHeader(response).isPresent() ? sessionCookie(response) : current;
    }

    /** {@code JSESSIONID=value} as a Cookie header sends it back. */
    static String sessionCookie(HttpResponse<?> response) {
        String header = sessionCookieHeader(response)
                .orElseThrow(() -> new AssertionError("No JSESSIONID cookie set; headers " + response.headers().map()));
        int semicolon = header.indexOf(';');
        return semicolon < 0 ? header : header.substring(0, semicolon);
    }
}
