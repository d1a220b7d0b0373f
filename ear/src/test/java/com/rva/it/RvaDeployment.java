package com.rva.it;

import java.io.File;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.spec.JavaArchive;
import org.jboss.shrinkwrap.api.spec.WebArchive;

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
                .addClass(AsCaller.class)
                .addAsManifestResource(new StringAsset(
                        "<beans xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"4.0\" bean-discovery-mode=\"annotated\"/>"),
                        "beans.xml");
        archive.addAsLibrary(tests);
        openTestRunner(archive);
        // the real structure plus Elytron's API, for AsCaller
        String structure = "META-INF/jboss-deployment-structure.xml";
        String xml;
        try (java.io.InputStream in = archive.get(structure).getAsset().openStream()) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        archive.delete(structure);
        archive.addAsManifestResource(new StringAsset(xml.replace("<dependencies>",
                "<dependencies><module name=\"org.wildfly.security.elytron\"/>")), "jboss-deployment-structure.xml");
        return archive;
    }

    /**
     * The portal's web.xml protects every URL ({@code /*}), which would send Arquillian's in-server test runner
     * to the login page. A web fragment in the test deployment only opens the runner's own URL.
     */
    private static void openTestRunner(EnterpriseArchive ear) {
        WebArchive war = ear.getAsType(WebArchive.class, "rva-web.war");
        war.addAsLibrary(ShrinkWrap.create(JavaArchive.class, "rva-it-runner-access.jar")
                .addAsManifestResource(new StringAsset("""
                        <web-fragment xmlns="https://jakarta.ee/xml/ns/jakartaee" version="6.0">
                          <name>rva_it_runner_access</name>
                          <security-constraint>
                            <web-resource-collection>
                              <web-resource-name>Arquillian test runner</web-resource-name>
                              <url-pattern>/ArquillianServletRunnerEE9</url-pattern>
                            </web-resource-collection>
                          </security-constraint>
                        </web-fragment>
                        """), "web-fragment.xml"));
    }
}
