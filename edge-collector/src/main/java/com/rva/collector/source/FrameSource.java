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
        return camera.isFolder()
                ? new FolderFrameSource(camera.folder())
                : new HttpSnapshotSource(http, camera.url(), camera.user(), camera.password(), camera.interval());
    }
}
