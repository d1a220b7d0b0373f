package com.rva.simulator;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Random;

/**
 * Draws one synthetic camera frame: a store-specific background with 0–3 head shots pasted at 110–170 px,
 * each in its own third of the frame so faces never touch.
 */
public final class FrameRenderer {

    public static final int WIDTH = 640;
    public static final int HEIGHT = 480;
    public static final int MIN_FACE = 110;
    public static final int MAX_FACE = 170;
    /** Faces sit in columns of this width; MAX_FACE leaves a gap of at least 43 px between neighbours. */
    static final int COLUMN = WIDTH / StoreDayPlan.MAX_PRESENT;

    /** What to paste: whose photo, its size, and which column (0..2) the person stands in. */
    public record Face(String customer, DemoFaces.Photo photo, int size, int column, int y) {
        public Face {
            if (size < MIN_FACE || size > MAX_FACE) {
                throw new IllegalArgumentException("face size must be " + MIN_FACE + ".." + MAX_FACE + ": " + size);
            }
            if (column < 0 || column >= StoreDayPlan.MAX_PRESENT) {
                throw new IllegalArgumentException("column must be 0.." + (StoreDayPlan.MAX_PRESENT - 1));
            }
        }

        /** Left edge in the frame: centred in its column. */
        public int x() {
            return column * COLUMN + (COLUMN - size) / 2;
        }
    }

    private FrameRenderer() {
    }

    public static BufferedImage render(String storeId, List<Face> faces) {
        BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            background(g, storeId);
            for (Face f : faces) {
                int y = Math.max(0, Math.min(HEIGHT - f.size(), f.y()));
                g.drawImage(f.photo().image(), f.x(), y, f.size(), f.size(), null);
            }
        } finally {
            g.dispose();
        }
        return frame;
    }

    /**
     * A frame filled by one photo (a group passing close to the camera, or something held in front of it),
     * scaled to fit and centred on the store's background.
     */
    public static BufferedImage renderPhoto(String storeId, BufferedImage photo) {
        BufferedImage frame = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = frame.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            background(g, storeId);
            double scale = Math.min((double) WIDTH / photo.getWidth(), (double) HEIGHT / photo.getHeight());
            int w = (int) Math.round(photo.getWidth() * scale);
            int h = (int) Math.round(photo.getHeight() * scale);
            g.drawImage(photo, (WIDTH - w) / 2, (HEIGHT - h) / 2, w, h, null);
        } finally {
            g.dispose();
        }
        return frame;
    }

    /** A calm gradient and a few shelves, in colours derived from the store id (same store, same look). */
    private static void background(Graphics2D g, String storeId) {
        Random r = new Random(storeId.hashCode());
        float hue = r.nextFloat();
        Color top = Color.getHSBColor(hue, 0.25f, 0.92f);
        Color bottom = Color.getHSBColor(hue, 0.35f, 0.55f);
        g.setPaint(new GradientPaint(0, 0, top, 0, HEIGHT, bottom));
        g.fillRect(0, 0, WIDTH, HEIGHT);
        g.setColor(Color.getHSBColor((hue + 0.5f) % 1f, 0.2f, 0.75f));
        for (int i = 0; i < 3; i++) {
            int y = 60 + i * 150 + r.nextInt(20);
            g.fillRect(0, y, WIDTH, 10);
        }
    }
}
