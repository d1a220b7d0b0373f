package com.rva.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.rva.domain.Store;

import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;

/** The application starts, Flyway migrates the schema and EclipseLink reads it. */
@ExtendWith(ArquillianExtension.class)
class SchemaIT {

    @Deployment
    static EnterpriseArchive deployment() {
        return RvaDeployment.earWith(SchemaIT.class);
    }

    @PersistenceContext(unitName = "rva")
    EntityManager em;

    @Test
    void demoStoresAreThereAfterMigration() {
        List<Store> stores = em.createNamedQuery(Store.ALL, Store.class).getResultList();
        assertEquals(List.of("store_001", "store_002"), stores.stream().map(Store::getCode).toList());
        assertEquals("Europe/Berlin", stores.get(0).getZoneId().getId());
    }
}
