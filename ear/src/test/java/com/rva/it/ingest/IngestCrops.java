package com.rva.it.ingest;

import java.nio.file.Path;
import java.util.Optional;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.ByteArrayAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

import com.rva.testsupport.FaceCropMaker;
import com.rva.testsupport.LabelledFaces;

/**
 * Makes the real face crops of {@link IngestIT} on the client side, as a collector would (YuNet, 5-point
 * alignment, JPEG), and packs them as resources of a library jar. Called only from the static
 * {@code @Deployment} method, which runs in the test JVM; this class and OpenCV are not deployed.
 */
final class IngestCrops {

    private IngestCrops() {
    }

    static JavaArchive library() {
        JavaArchive jar = ShrinkWrap.create(JavaArchive.class, "rva-it-ingest-crops.jar");
        Optional<Path> faces = LabelledFaces.folder();
        if (faces.isEmpty()) {
            // the tests that need crops skip with this message when they find none
            System.out.println(LabelledFaces.missingMessage());
            return jar;
        }
        try (FaceCropMaker maker = new FaceCropMaker()) {
            for (String photo : IngestIT.PHOTOS) {
                Path file = faces.get().resolve(photo);
                byte[] jpeg = maker.jpegOfLargestFace(file)
                        .orElseThrow(() -> new IllegalStateException("YuNet finds no face in " + file));
                jar.addAsResource(new ByteArrayAsset(jpeg), IngestIT.cropResource(photo));
            }
        }
        return jar;
    }
}
