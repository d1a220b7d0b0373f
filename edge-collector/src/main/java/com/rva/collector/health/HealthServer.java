package com.rva.collector.health;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The collector's local HTTP endpoints (JDK HttpServer): {@code GET /health} (JSON; 200 while every camera
 * works, 503 when one fails) and {@code GET /metrics} (Prometheus text format). Read-only, no secrets; bound to
 * {@code http.address} (default 127.0.0.1).
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HealthServer.class);

    private final HttpServer server;

    public HealthServer(String address, int port, Supplier<CollectorStatus> status) throws IOException {
        server = HttpServer.create(new InetSocketAddress(address, port), 16);
        server.createContext("/health", exchange -> {
            if (allowed(exchange, "/health")) {
                CollectorStatus s = status.get();
                respond(exchange, s.state().equals("ok") ? 200 : 503, "application/json", s.toJson());
            }
        });
        server.createContext("/metrics", exchange -> {
            if (allowed(exchange, "/metrics")) {
                respond(exchange, 200, "text/plain; version=0.0.4; charset=utf-8", status.get().toPrometheus());
            }
        });
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "health-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        LOG.info("Health and metrics on http://{}:{}/health and /metrics", address, port());
    }

    /** The port listened on (the chosen one when configured as 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private static boolean allowed(HttpExchange exchange, String path) throws IOException {
        if (!exchange.getRequestURI().getPath().equals(path)) {
            respond(exchange, 404, "text/plain; charset=utf-8", "not found: try /health or /metrics\n");
            return false;
        }
        if (!exchange.getRequestMethod().equals("GET") && !exchange.getRequestMethod().equals("HEAD")) {
            exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            respond(exchange, 405, "text/plain; charset=utf-8", "only GET\n");
            return false;
        }
        return true;
    }

    private static void respond(HttpExchange exchange, int code, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
