package com.rva.it;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;

/**
 * Builds the deployment of an in-server test: the real EAR of this build plus a library jar with the
 * test classes (Arquillian enriches the EAR's only WAR to run them).
 */
public final class RvaDeployment {

    private RvaDeployment() {
    }

    public static EnterpriseArchive earWith(Class<?>... testClasses) {
        File ear = new File(System.getProperty("rva.ear", "target/rva.ear"));
        if (!ear.isFile()) {
            throw new IllegalStateException("The EAR " + ear + " is missing: run the package phase first");
        }
        EnterpriseArchive archive = ShrinkWrap.createFromZipFile(EnterpriseArchive.class, ear);
        JavaArchive tests = ShrinkWrap.create(JavaArchive.class, "rva-it.jar")
                .addClasses(testClasses)
                .addClass(RvaDeployment.class)
                .addAsManifestResource(new StringAsset(
                        "<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\" bean-discovery-mode=\"annotated\"/>"),
                        "beans.xml");
        archive.addAsLibrary(tests);
        return archive;
    }
}
