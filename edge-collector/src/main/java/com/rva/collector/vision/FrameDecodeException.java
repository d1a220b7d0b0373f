package com.rva.collector.vision;

/** A frame that is not a decodable image (corrupt, truncated, empty or not an image format OpenCV reads). */
public class FrameDecodeException extends Exception {

    private static final long serialVersionUID = 1L;

    public FrameDecodeException(String message) {
        super(message);
    }

    public FrameDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
