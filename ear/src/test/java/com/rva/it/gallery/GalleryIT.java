package com.rva.it.gallery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.ejb.EJB;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.application.ingest.GalleryIndex;
import com.rva.application.settings.Setting;
import com.rva.it.RvaDeployment;
import com.rva.recognition.Vectors;

/** The server's gallery: the kernel it scans with, exact or ANN by size. */
@ExtendWith(ArquillianExtension.class)
class GalleryIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(GalleryIT.class);
    }

    @EJB
    GalleryIndex gallery;

    @Test
    void aSmallGalleryIsScannedExactly() {
        int annFrom = Integer.parseInt(Setting.GALLERY_ANN_FROM.defaultValue());
        assertTrue(gallery.size() < annFrom, "the test database holds " + gallery.size() + " templates");
        assertEquals("exact", gallery.kind());
    }

    @Test
    void theServerScansWithTheVectorApi() {
        // the JVM option (arquillian.xml, standalone.conf) and the deployment's module dependency together
        String kernel = Vectors.kernel().name();
        assertTrue(kernel.startsWith("vector-api/"), "the deployment scans with " + kernel);
    }
}
