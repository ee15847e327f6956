package tsstream.peer;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.ArrayList;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;

/**
 * apicurio-common-app-components-config-index-deployment (the Quarkus build step that lists the
 * registry's runtime-editable properties) is not on Maven Central, so the list is empty: the
 * registry runs with its static configuration only.
 */
@ApplicationScoped
public class NoDynamicConfig {
  @Produces
  @ApplicationScoped
  DynamicConfigPropertyList dynamicConfigProperties() {
    return new DynamicConfigPropertyList(new ArrayList<>());
  }
}
