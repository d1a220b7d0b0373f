package com.rva.collector.config;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The validated settings of an edge collector. Built only through {@link #from(Map)}, which checks
 * every setting and reports all problems at once, each naming its setting.
 */
public final class CollectorSettings {

    public static final String STORE_ID = "store.id";
    public static final String SERVER_URL = "server.url";
    public static final String SERVER_USER = "server.user";
    public static final String SERVER_PASSWORD = "server.password";
    public static final String SERVER_LEGACY_PREFIXES = "server.legacy-queue-prefix";
    public static final String SERVER_TRUST_STORE = "server.tls.trust-store";
    public static final String SERVER_TRUST_STORE_PASSWORD = "server.tls.trust-store-password";
    public static final String CAMERAS = "cameras";
    public static final String SCORE_THRESHOLD = "detector.score-threshold";
    public static final String MIN_FACE_SIZE = "face.min-size-px";
    public static final String STATE_DIR = "state.dir";
    public static final String OUTBOX_MAX_MB = "outbox.max-mb";
    public static final String STATS_INTERVAL = "log.stats-interval-seconds";
    public static final String COLLECTOR_ID = "collector.id";
    public static final String HTTP_ADDRESS = "http.address";
    public static final String HTTP_PORT = "http.port";
    public static final String HEARTBEAT_INTERVAL = "heartbeat.interval-seconds";

    public static final String DEFAULT_SERVER_URL = "tcp://localhost:8080?httpUpgradeEnabled=true";
    public static final int DEFAULT_INTERVAL_SECONDS = 15;
    public static final float DEFAULT_SCORE_THRESHOLD = 0.8f;
    public static final int DEFAULT_MIN_FACE_SIZE = 40;
    /** About 200,000 crops of ~5 kB: days of a busy store's crops while the server is unreachable. */
    public static final int DEFAULT_OUTBOX_MAX_MB = 1024;
    public static final int DEFAULT_STATS_INTERVAL_SECONDS = 60;
    public static final int DEFAULT_HTTP_PORT = 9464;
    public static final int DEFAULT_HEARTBEAT_SECONDS = 60;

    private static final Set<String> GLOBAL_KEYS = Set.of(STORE_ID, SERVER_URL, SERVER_USER, SERVER_PASSWORD,
            SERVER_LEGACY_PREFIXES, CAMERAS, SCORE_THRESHOLD, MIN_FACE_SIZE, STATE_DIR, OUTBOX_MAX_MB,
            STATS_INTERVAL, COLLECTOR_ID, HTTP_ADDRESS, HTTP_PORT, HEARTBEAT_INTERVAL, SERVER_TRUST_STORE,
            SERVER_TRUST_STORE_PASSWORD);
    private static final Pattern CAMERA_KEY = Pattern.compile("camera\\.([^.]+)\\.(.+)");
    private static final Set<String> CAMERA_SUFFIXES = Set.of("source", "interval-seconds", "user", "password");
    /** Ids travel in message properties and the duplicate id ({@code store/camera/seq/index}): no slashes. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final String storeId;
    private final String serverUrl;
    private final String serverUser;
    private final String serverPassword;
    private final boolean legacyQueuePrefix;
    private final List<CameraSettings> cameras;
    private final float scoreThreshold;
    private final int minFaceSizePx;
    private final Path stateDir;
    private final long outboxMaxBytes;
    private final Duration statsInterval;
    private final String collectorId;
    private final String httpAddress;
    private final int httpPort;
    private final Duration heartbeatInterval;
    private final Path trustStore;
    private final String trustStorePassword;

    private CollectorSettings(Reader r) {
        this.storeId = r.storeId;
        this.serverUrl = r.serverUrl;
        this.serverUser = r.serverUser;
        this.serverPassword = r.serverPassword;
        this.legacyQueuePrefix = r.legacyPrefix;
        this.cameras = List.copyOf(r.cameras);
        this.scoreThreshold = r.scoreThreshold;
        this.minFaceSizePx = r.minFaceSize;
        this.stateDir = r.stateDir;
        this.outboxMaxBytes = r.outboxMaxMb * 1024L * 1024L;
        this.statsInterval = Duration.ofSeconds(r.statsSeconds);
        this.collectorId = r.collectorId;
        this.httpAddress = r.httpAddress;
        this.httpPort = r.httpPort;
        this.heartbeatInterval = Duration.ofSeconds(r.heartbeatSeconds);
        this.trustStore = r.trustStore;
        this.trustStorePassword = r.trustStorePassword;
    }

    /**
     * Validates raw settings. Folders named by {@code folder:} sources and {@code state.dir} are created
     * when missing, so a fresh store PC starts without manual steps.
     *
     * @throws ConfigException listing every missing or wrong setting
     */
    public static CollectorSettings from(Map<String, String> raw) throws ConfigException {
        Reader r = new Reader(raw);
        r.read();
        if (!r.problems.isEmpty()) {
            throw new ConfigException(r.problems);
        }
        return new CollectorSettings(r);
    }

    public String storeId() {
        return storeId;
    }

    public String serverUrl() {
        return serverUrl;
    }

    /**
     * The URL the collector connects with: {@link #serverUrl()} plus, with a trust store, TLS
     * ({@code sslEnabled}) and the trust store. Holds a secret: never log it.
     */
    public String connectorUrl() {
        if (trustStore == null) {
            return serverUrl;
        }
        String tls = "sslEnabled=true&trustStorePath=" + trustStore + (trustStorePassword == null ? ""
                : "&trustStorePassword=" + trustStorePassword);
        return serverUrl + (serverUrl.contains("?") ? "&" : "?") + tls;
    }

    /** The trust store for TLS to the server, or null for plain TCP. */
    public Path trustStore() {
        return trustStore;
    }

    public String serverUser() {
        return serverUser;
    }

    /** Never log this. */
    public String serverPassword() {
        return serverPassword;
    }

    /**
     * Whether queue names get WildFly's legacy {@code jms.queue.} address prefix (Artemis
     * {@code enable1xPrefixes}). WildFly's {@code jms-queue} resources live at {@code jms.queue.<name>}.
     */
    public boolean legacyQueuePrefix() {
        return legacyQueuePrefix;
    }

    public List<CameraSettings> cameras() {
        return cameras;
    }

    public float scoreThreshold() {
        return scoreThreshold;
    }

    public int minFaceSizePx() {
        return minFaceSizePx;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The disk cap of the store-and-forward outbox ({@value #OUTBOX_MAX_MB}), in bytes. */
    public long outboxMaxBytes() {
        return outboxMaxBytes;
    }

    public Duration statsInterval() {
        return statsInterval;
    }

    /** Names this collector in heartbeats (default {@code <store.id>@<host name>}). */
    public String collectorId() {
        return collectorId;
    }

    public String httpAddress() {
        return httpAddress;
    }

    /** Port of /health and /metrics; 0 picks a free one, -1 turns them off. */
    public int httpPort() {
        return httpPort;
    }

    public Duration heartbeatInterval() {
        return heartbeatInterval;
    }

    /** A description safe for logs: passwords are masked. */
    @Override
    public String toString() {
        return "store.id=" + storeId + ", server.url=" + serverUrl + ", server.user=" + serverUser
                + ", server.password=****, " + SERVER_TRUST_STORE + "=" + trustStore + ", " + SERVER_TRUST_STORE_PASSWORD
                + "=" + (trustStorePassword == null ? "<none>" : "****") + ", " + SERVER_LEGACY_PREFIXES + "=" + legacyQueuePrefix
                + ", cameras=" + cameras + ", " + SCORE_THRESHOLD + "=" + scoreThreshold + ", " + MIN_FACE_SIZE + "="
                + minFaceSizePx + ", " + STATE_DIR + "=" + stateDir + ", " + OUTBOX_MAX_MB + "=" + outboxMaxBytes / (1024 * 1024)
                + ", " + COLLECTOR_ID + "=" + collectorId + ", " + HTTP_ADDRESS + "=" + httpAddress + ", " + HTTP_PORT + "="
                + httpPort + ", " + HEARTBEAT_INTERVAL + "=" + heartbeatInterval.toSeconds();
    }

    /** Reads and checks the raw map, collecting problems instead of stopping at the first. */
    private static final class Reader {
        private final Map<String, String> raw;
        private final List<ConfigException.Problem> problems = new ArrayList<>();

        String storeId;
        String serverUrl;
        String serverUser;
        String serverPassword;
        boolean legacyPrefix;
        final List<CameraSettings> cameras = new ArrayList<>();
        float scoreThreshold;
        int minFaceSize;
        Path stateDir;
        int outboxMaxMb;
        int statsSeconds;
        String collectorId;
        String httpAddress;
        int httpPort;
        int heartbeatSeconds;
        Path trustStore;
        String trustStorePassword;

        Reader(Map<String, String> raw) {
            this.raw = raw;
        }

        void read() {
            storeId = id(STORE_ID);
            serverUrl = serverUrl();
            serverUser = required(SERVER_USER, "the login the server knows this collector by (its collector credentials)");
            serverPassword = required(SERVER_PASSWORD, "the password of " + SERVER_USER);
            legacyPrefix = bool(SERVER_LEGACY_PREFIXES, true);
            scoreThreshold = (float) decimal(SCORE_THRESHOLD, DEFAULT_SCORE_THRESHOLD, 0.0, 1.0);
            minFaceSize = integer(MIN_FACE_SIZE, DEFAULT_MIN_FACE_SIZE, 8, 10_000);
            outboxMaxMb = integer(OUTBOX_MAX_MB, DEFAULT_OUTBOX_MAX_MB, 1, 1_000_000);
            statsSeconds = integer(STATS_INTERVAL, DEFAULT_STATS_INTERVAL_SECONDS, 1, 86_400);
            httpAddress = value(HTTP_ADDRESS) == null ? "127.0.0.1" : value(HTTP_ADDRESS);
            httpPort = integer(HTTP_PORT, DEFAULT_HTTP_PORT, -1, 65_535);
            heartbeatSeconds = integer(HEARTBEAT_INTERVAL, DEFAULT_HEARTBEAT_SECONDS, 1, 3600);
            trustStorePassword = value(SERVER_TRUST_STORE_PASSWORD);
            String store = value(SERVER_TRUST_STORE);
            if (store != null) {
                try {
                    trustStore = Path.of(store).toAbsolutePath().normalize();
                    if (!Files.isRegularFile(trustStore) || !Files.isReadable(trustStore)) {
                        problem(SERVER_TRUST_STORE, trustStore + " is not a readable file (a JKS or PKCS12 trust store"
                                + " holding the server's certificate or its CA)");
                    }
                } catch (InvalidPathException e) {
                    problem(SERVER_TRUST_STORE, "'" + store + "' is not a valid path");
                }
            } else if (trustStorePassword != null) {
                problem(SERVER_TRUST_STORE, "is missing while " + SERVER_TRUST_STORE_PASSWORD + " is set");
            }
            collectorId = value(COLLECTOR_ID);
            if (collectorId == null) {
                collectorId = (storeId == null ? "collector" : storeId) + "@" + hostName();
            } else if (collectorId.length() > 100) {
                problem(COLLECTOR_ID, "must have at most 100 characters");
            }
            stateDir = writableDir(STATE_DIR, value(STATE_DIR));
            if (stateDir == null && value(STATE_DIR) == null) {
                problem(STATE_DIR, "is missing: set the folder where the collector keeps its frame counters and its outbox");
            }
            Set<String> cameraIds = cameras();
            unknownKeys(cameraIds);
        }

        private static String hostName() {
            try {
                return java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.io.IOException e) {
                return "unknown-host";
            }
        }

        private Set<String> cameras() {
            String list = value(CAMERAS);
            Set<String> ids = new LinkedHashSet<>();
            if (list == null) {
                problem(CAMERAS, "is missing: list the camera ids, e.g. cameras=cam-1,cam-2");
                return ids;
            }
            for (String part : list.split(",")) {
                String id = part.trim();
                if (id.isEmpty()) {
                    continue;
                }
                if (!ID.matcher(id).matches()) {
                    problem(CAMERAS, "'" + id + "' is not a valid camera id (letters, digits, '.', '_', '-'; at most 64)");
                } else if (!ids.add(id)) {
                    problem(CAMERAS, "camera id '" + id + "' is listed twice");
                }
            }
            if (ids.isEmpty() && problems.stream().noneMatch(p -> p.setting().equals(CAMERAS))) {
                problem(CAMERAS, "lists no camera: give at least one camera id");
            }
            for (String id : ids) {
                camera(id);
            }
            return ids;
        }

        private void camera(String id) {
            String prefix = "camera." + id + ".";
            String sourceKey = prefix + "source";
            String source = value(sourceKey);
            Path folder = null;
            URI url = null;
            String stream = null;
            if (source == null) {
                problem(sourceKey, "is missing: use folder:/path/to/frames or an http(s):// snapshot URL");
            } else if (source.startsWith("folder:")) {
                String path = source.substring("folder:".length()).trim();
                if (path.isEmpty()) {
                    problem(sourceKey, "folder: needs a path, e.g. folder:/var/lib/rva/frames/" + id);
                } else {
                    folder = writableDir(sourceKey, path);
                }
            } else if (source.startsWith("http://") || source.startsWith("https://")) {
                url = snapshotUrl(sourceKey, source);
            } else if (source.startsWith("rtsp://") || source.startsWith("rtsps://")) {
                if (snapshotUrl(sourceKey, source) != null) {
                    stream = source;
                }
            } else if (source.startsWith("video:")) {
                Path file = Path.of(source.substring("video:".length()).trim()).toAbsolutePath();
                if (!Files.isRegularFile(file)) {
                    problem(sourceKey, "video file " + file + " does not exist");
                } else {
                    stream = "video:" + file;
                }
            } else if (source.matches("usb:\\d{1,2}")) {
                stream = source;
            } else {
                problem(sourceKey, "'" + source + "' is none of folder:/path, an http(s):// snapshot URL, rtsp://,"
                        + " video:/path/file or usb:N");
            }
            int seconds = integer(prefix + "interval-seconds", DEFAULT_INTERVAL_SECONDS, 1, 3600);
            String user = value(prefix + "user");
            String password = value(prefix + "password");
            if (password != null && user == null) {
                problem(prefix + "user", "is missing while " + prefix + "password is set");
            }
            if (user != null && (folder != null || (stream != null && !stream.startsWith("rtsp")))) {
                problem(prefix + "user", "only applies to http(s) and rtsp sources");
            }
            if (folder != null || url != null || stream != null) {
                cameras.add(new CameraSettings(id, folder, url, user, password, Duration.ofSeconds(seconds), stream));
            }
        }

        private URI snapshotUrl(String key, String source) {
            try {
                URI uri = new URI(source);
                if (uri.getHost() == null) {
                    problem(key, "'" + source + "' has no host");
                    return null;
                }
                if (uri.getUserInfo() != null) {
                    // keeps secrets out of every log line that names the source
                    problem(key, "must not contain credentials; put them in the camera's .user and .password settings");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problem(key, "is not a valid URL: " + e.getMessage());
                return null;
            }
        }

        private void unknownKeys(Set<String> cameraIds) {
            Set<String> unknown = new TreeSet<>();
            for (String key : raw.keySet()) {
                if (GLOBAL_KEYS.contains(key)) {
                    continue;
                }
                Matcher m = CAMERA_KEY.matcher(key);
                if (m.matches() && CAMERA_SUFFIXES.contains(m.group(2))) {
                    if (!cameraIds.contains(m.group(1))
                            && problems.stream().noneMatch(p -> p.setting().equals(CAMERAS))) {
                        problem(key, "is set but camera '" + m.group(1) + "' is not listed in " + CAMERAS);
                    }
                    continue;
                }
                unknown.add(key);
            }
            for (String key : unknown) {
                problem(key, "is not a known setting (a typo?). Known: " + new TreeSet<>(GLOBAL_KEYS)
                        + " and camera.<id>." + new TreeSet<>(CAMERA_SUFFIXES));
            }
        }

        private String serverUrl() {
            String url = value(SERVER_URL);
            if (url == null) {
                return DEFAULT_SERVER_URL;
            }
            String lower = url.toLowerCase();
            boolean known = lower.startsWith("tcp://") || lower.startsWith("vm://") || lower.startsWith("(tcp://");
            if (lower.contains("password=")) {
                // the URL is logged; secrets go in their own settings
                problem(SERVER_URL, "must not contain a password: use " + SERVER_TRUST_STORE + " and "
                        + SERVER_TRUST_STORE_PASSWORD + " for TLS");
                return url;
            }
            if (!known) {
                problem(SERVER_URL, "'" + url + "' is not an Artemis URL; expected e.g. " + DEFAULT_SERVER_URL);
            } else if (lower.startsWith("tcp://")) {
                // Artemis accepts a wrong host:port silently and fails only when connecting
                try {
                    URI uri = new URI(url);
                    if (uri.getHost() == null || uri.getPort() <= 0) {
                        problem(SERVER_URL, "'" + url + "' needs a host and a port, e.g. " + DEFAULT_SERVER_URL);
                    }
                } catch (URISyntaxException e) {
                    problem(SERVER_URL, "'" + url + "' is not a valid URL: " + e.getMessage());
                }
            }
            return url;
        }

        private Path writableDir(String key, String value) {
            if (value == null) {
                return null;
            }
            Path dir;
            try {
                dir = Path.of(value).toAbsolutePath().normalize();
            } catch (InvalidPathException e) {
                problem(key, "'" + value + "' is not a valid path: " + e.getMessage());
                return null;
            }
            if (Files.exists(dir) && !Files.isDirectory(dir)) {
                problem(key, dir + " exists but is not a folder");
                return null;
            }
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                problem(key, "cannot create folder " + dir + ": " + e);
                return null;
            }
            if (!Files.isWritable(dir) || !Files.isReadable(dir)) {
                problem(key, "folder " + dir + " is not readable and writable by this user");
                return null;
            }
            return dir;
        }

        private String id(String key) {
            String v = value(key);
            if (v == null) {
                problem(key, "is missing: set the store id as registered on the server");
            } else if (!ID.matcher(v).matches()) {
                problem(key, "'" + v + "' is not a valid id (letters, digits, '.', '_', '-'; at most 64)");
            }
            return v;
        }

        private String required(String key, String what) {
            String v = value(key);
            if (v == null) {
                problem(key, "is missing: " + what);
            }
            return v;
        }

        private boolean bool(String key, boolean def) {
            String v = value(key);
            if (v == null) {
                return def;
            }
            if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(v);
            }
            problem(key, "'" + v + "' is not true or false");
            return def;
        }

        private int integer(String key, int def, int min, int max) {
            String v = value(key);
            if (v == null) {
                return def;
            }
            try {
                int i = Integer.parseInt(v);
                if (i < min || i > max) {
                    problem(key, i + " is out of range: must be between " + min + " and " + max);
                }
                return i;
            } catch (NumberFormatException e) {
                problem(key, "'" + v + "' is not a whole number");
                return def;
            }
        }

        private double decimal(String key, double def, double minExclusive, double maxInclusive) {
            String v = value(key);
            if (v == null) {
                return def;
            }
            try {
                double d = Double.parseDouble(v);
                if (!(d > minExclusive && d <= maxInclusive)) {
                    problem(key, v + " is out of range: must be above " + minExclusive + " and at most " + maxInclusive);
                }
                return d;
            } catch (NumberFormatException e) {
                problem(key, "'" + v + "' is not a number");
                return def;
            }
        }

        /** The trimmed value, or null when absent or blank. */
        private String value(String key) {
            String v = raw.get(key);
            if (v == null) {
                return null;
            }
            v = v.trim();
            return v.isEmpty() ? null : v;
        }

        private void problem(String key, String message) {
            problems.add(new ConfigException.Problem(key, message));
        }
    }
}
