package com.rva.it.ingest;

import java.nio.file.Path;

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
        return library("rva-it-ingest-crops.jar", IngestIT.PHOTOS);
    }

    /** A library jar named {@code jarName} with the crops of {@code photos} (identity/file under ../shared/faces). */
    static JavaArchive library(String jarName, java.util.List<String> photos) {
        JavaArchive jar = ShrinkWrap.create(JavaArchive.class, jarName);
        // the tests that deploy this are disabled when the photos are missing (CropResources.available)
        Path faces = LabelledFaces.folder().orElseThrow(() -> new IllegalStateException(LabelledFaces.missingMessage()));
        try (FaceCropMaker maker = new FaceCropMaker()) {
            for (String photo : photos) {
                Path file = faces.resolve(photo);
                byte[] jpeg = maker.jpegOfLargestFace(file)
                        .orElseThrow(() -> new IllegalStateException("YuNet finds no face in " + file));
                jar.addAsResource(new ByteArrayAsset(jpeg), CropResources.name(photo));
            }
        }
        return jar;
    }
}
