package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRDs' CEL rules (x-kubernetes-validations) that keep what cannot change safely immutable:
 * the party count and threshold, the parties' storage, keySetRef once set, a KeySet's backend and
 * Vault location; Vault over https only. (The API server evaluates them; this checks they are
 * there, on the right node, and written as transition rules.)
 */
class CrdValidationRulesTest {
    private static JSONSchemaProps spec(String crd) throws Exception {
        CustomResourceDefinition d = Serialization.unmarshal(Files.readString(Path.of("../crds", crd)), CustomResourceDefinition.class);
        return d.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
    }

    private static List<String> rules(JSONSchemaProps node) {
        return node.getXKubernetesValidations() == null ? List.of() : node.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
    }

    @Test
    void mpcClusterKeepsPartiesStorageAndKeySetImmutable() throws Exception {
        JSONSchemaProps spec = spec("mpcclusters.mpc.mpcsystem.io-v1.yml");
        JSONSchemaProps parties = spec.getProperties().get("parties");
        assertThat(rules(parties)).contains("self.count == oldSelf.count", "self.threshold == oldSelf.threshold", "self.threshold <= self.count");
        assertThat(rules(parties.getProperties().get("storage"))).singleElement().satisfies(r -> assertThat(r)
                .contains("self.size == oldSelf.size").contains("self.storageClass == oldSelf.storageClass"));
        assertThat(rules(spec)).anySatisfy(r -> assertThat(r).contains("self.keySetRef == oldSelf.keySetRef").startsWith("!has(oldSelf.keySetRef)"))
                .anySatisfy(r -> assertThat(r).contains("has(self.certManager)"));
        assertThat(parties.getProperties().get("spread").getProperties().get("mode").getPattern()).isEqualTo("^(Required|Preferred|None)$");
    }

    @Test
    void keySetKeepsItsBackendAndVaultLocationAndSpeaksHttpsOnly() throws Exception {
        JSONSchemaProps spec = spec("keysets.mpc.mpcsystem.io-v1.yml");
        assertThat(rules(spec)).contains("has(self.vault) == has(oldSelf.vault)");
        JSONSchemaProps vault = spec.getProperties().get("vault");
        assertThat(rules(vault)).anySatisfy(r -> assertThat(r).contains("self.address == oldSelf.address").contains("self.mount == oldSelf.mount")
                .contains("self.pathPrefix == oldSelf.pathPrefix"));
        String pattern = vault.getProperties().get("address").getPattern();
        assertThat("https://vault.vault.svc:8200").matches(pattern);
        assertThat("http://vault.vault.svc:8200").doesNotMatch(pattern);
    }
}
