package com.rva.it.ingest;

import java.io.IOException;
import java.io.InputStream;

import com.rva.testsupport.LabelledFaces;

/**
 * Where the in-server tests find the crops {@link IngestCrops} packed into their deployment, and whether they run at
 * all. A test that needs the crops is skipped on the client side when ../shared/faces is missing
 * ({@code @EnabledIf("com.rva.it.ingest.CropResources#available")}): an assumption that fails inside the server is
 * reported as an error by Arquillian's JUnit 5 runner, not as a skipped test.
 */
final class CropResources {

    private CropResources() {
    }

    /**
     * In the test JVM: whether ../shared/faces is there to make the crops from. In the server (where the condition is
     * evaluated again): always, as the test JVM built the deployment only after finding the photos.
     */
    static boolean available() {
        return System.getProperty("jboss.server.base.dir") != null || LabelledFaces.folder().isPresent();
    }

    /** The resource name of the crop of a photo (identity/file under ../shared/faces). */
    static String name(String photo) {
        return "it-crops/" + photo.replace('/', '-').replaceAll("\\.\\w+$", ".jpg");
    }

    /** The JPEG crop of a photo, from the deployment. */
    static byte[] read(String photo) throws IOException {
        try (InputStream in = CropResources.class.getClassLoader().getResourceAsStream(name(photo))) {
            if (in == null) {
                throw new IllegalStateException("No crop of " + photo + " in the deployment: add the photo to the"
                        + " test's list of photos");
            }
            return in.readAllBytes();
        }
    }
}
