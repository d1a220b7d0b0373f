package com.rva.collector.source;

import com.rva.collector.config.CameraSettings;
import java.io.IOException;
import java.net.http.HttpClient;
import java.util.List;

/** Where a camera's frames come from. Each tick the collector asks for the frames available now. */
public interface FrameSource {

    /**
     * The frames available at this tick, oldest first; may be empty.
     *
     * @throws IOException when the source cannot be reached; the camera retries at its next tick
     */
    List<Frame> poll() throws IOException;

    /** For logs; never contains secrets. */
    String describe();

    /** The source a camera's settings describe. */
    static FrameSource of(CameraSettings camera, HttpClient http) {
        if (camera.isFolder()) {
            return new FolderFrameSource(camera.folder());
        }
        if (camera.isStream()) {
            String s = camera.stream();
            if (s.startsWith("usb:")) {
                return new VideoCaptureSource(null, Integer.valueOf(s.substring(4)), s, false);
            }
            if (s.startsWith("video:")) {
                return new VideoCaptureSource(s.substring(6), null, s, true);
            }
            // rtsp(s)://host/...: credentials from the camera's .user/.password, only in what ffmpeg opens
            String target = s;
            if (camera.user() != null) {
                int at = s.indexOf("://") + 3;
                target = s.substring(0, at) + enc(camera.user()) + (camera.password() == null ? "" : ":"
                        + enc(camera.password())) + "@" + s.substring(at);
            }
            // the shipped OpenCV has no FFmpeg/GStreamer backend, so VideoCapture cannot open RTSP: ffmpeg does
            return new FfmpegStreamSource(target, s);
        }
        return new HttpSnapshotSource(http, camera.url(), camera.user(), camera.password(), camera.interval());
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }
}
