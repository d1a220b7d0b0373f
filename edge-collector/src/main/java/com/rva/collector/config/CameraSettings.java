package com.rva.collector.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Settings of one camera ({@code camera.<id>.*}).
 *
 * @param id       camera id as registered on the server
 * @param folder   watched folder, when the source is {@code folder:}
 * @param url      snapshot URL, when the source is {@code http(s)://}
 * @param user     basic-auth user for the snapshot URL, or null
 * @param password basic-auth password for the snapshot URL, or null; never logged
 * @param interval time between two ticks of this camera
 * @param stream   a stream: {@code rtsp://} (through ffmpeg), {@code video:FILE} or {@code usb:N} (OpenCV VideoCapture), or null
 */
public record CameraSettings(String id, Path folder, URI url, String user, String password, Duration interval,
        String stream) {

    public CameraSettings(String id, Path folder, URI url, String user, String password, Duration interval) {
        this(id, folder, url, user, password, interval, null);
    }

    public boolean isFolder() {
        return folder != null;
    }

    public boolean isStream() {
        return stream != null;
    }

    /** The source as it may appear in logs (no secrets: credentials are never part of the URL). */
    public String describeSource() {
        return isFolder() ? "folder:" + folder : isStream() ? stream : url.toString();
    }

    @Override
    public String toString() {
        return "CameraSettings[id=" + id + ", source=" + describeSource() + ", user=" + user
                + ", password=" + (password == null ? "<none>" : "****") + ", interval=" + interval + "]";
    }
}
