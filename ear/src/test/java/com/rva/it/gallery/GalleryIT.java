package com.rva.it.gallery;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.it.RvaDeployment;
import com.rva.recognition.Vectors;

/** The server's gallery: the kernel it scans with. */
@ExtendWith(ArquillianExtension.class)
class GalleryIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(GalleryIT.class);
    }

    @Test
    void theServerScansWithTheVectorApi() {
        // the JVM option (arquillian.xml, standalone.conf) and the deployment's module dependency together
        String kernel = Vectors.kernel().name();
        assertTrue(kernel.startsWith("vector-api/"), "the deployment scans with " + kernel);
    }
}
