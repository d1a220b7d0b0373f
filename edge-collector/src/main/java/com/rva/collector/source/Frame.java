package com.rva.collector.source;

import java.io.IOException;
import java.time.Instant;

/** One camera frame handed to the collector. */
public interface Frame {

    /** A name for logs (file name or URL); never contains secrets. */
    String name();

    /** When the frame was taken. */
    Instant capturedAt();

    /** The encoded image. */
    byte[] read() throws IOException;

    /**
     * What identifies this frame if it is read again after a crash (a file that was not yet deleted), or null
     * for sources that never hand out a frame twice. See {@link com.rva.collector.state.FrameSeqStore}.
     */
    default String replayKey() {
        return null;
    }

    /** Called once the frame has been processed (or found unusable): a folder source deletes the file. */
    void done() throws IOException;

    /** A frame held in memory (a snapshot, a stream's newest frame): nothing to clean up when it is done. */
    static Frame inMemory(String name, Instant capturedAt, byte[] jpeg) {
        return new Frame() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public Instant capturedAt() {
                return capturedAt;
            }

            @Override
            public byte[] read() {
                return jpeg;
            }

            @Override
            public void done() {
                // nothing to clean up: the frame is in memory
            }
        };
    }
}
