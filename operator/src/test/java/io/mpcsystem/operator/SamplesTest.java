package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.mpcsystem.operator.crd.KeySet;
import io.mpcsystem.operator.crd.MpcCluster;
import io.mpcsystem.operator.keyset.GoDuration;
import io.mpcsystem.operator.reconciler.SpecCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Every sample validates against the schema in the checked-in CRD, made strict the way the API
 * server is with kubectl's field validation: an unknown field is an error, not silently pruned.
 */
class SamplesTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    static Stream<Path> samples() throws Exception {
        return Files.list(Path.of("samples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    private static JsonSchema schemaOf(String kindPlural) throws Exception {
        JsonNode crd = YAML.readTree(Path.of("../crds/" + kindPlural + ".mpc.mpcsystem.io-v1.yml").toFile());
        JsonNode schema = crd.at("/spec/versions/0/schema/openAPIV3Schema").deepCopy();
        strict(schema);
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(schema);
    }

    /** Objects with declared properties accept nothing else, as the API server's strict field validation does. */
    private static void strict(JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.has("properties") && !o.has("additionalProperties") && !o.path("x-kubernetes-preserve-unknown-fields").asBoolean(false)) {
                o.put("additionalProperties", false);
            }
            for (Iterator<JsonNode> it = o.elements(); it.hasNext(); ) strict(it.next());
        } else if (node.isArray()) {
            for (JsonNode n : node) strict(n);
        }
    }

    private static Set<ValidationMessage> validate(JsonNode sample) throws Exception {
        ObjectNode withoutMeta = sample.deepCopy();
        // type and object metadata are checked by the API server itself, not by the CRD's schema
        withoutMeta.remove(List.of("metadata", "apiVersion", "kind"));
        String plural = switch (sample.path("kind").asText()) {
            case "MpcCluster" -> "mpcclusters";
            case "KeySet" -> "keysets";
            default -> throw new AssertionError("unknown kind in a sample: " + sample.path("kind"));
        };
        return schemaOf(plural).validate(withoutMeta);
    }

    @ParameterizedTest
    @MethodSource("samples")
    void sampleValidatesAgainstTheCrdSchemaAndTheReconcilersChecks(Path sample) throws Exception {
        JsonNode node = YAML.readTree(sample.toFile());
        assertThat(validate(node)).as(sample.toString()).isEmpty();
        if (node.path("kind").asText().equals("MpcCluster")) {
            MpcCluster cluster = Serialization.unmarshal(Files.readString(sample), MpcCluster.class);
            assertThat(SpecCheck.problems(cluster.getSpec())).as(sample.toString()).isEmpty();
            assertThat(cluster.getSpec().keySetRef).as("every sample cluster names its KeySet").isNotBlank();
        } else {
            KeySet ks = Serialization.unmarshal(Files.readString(sample), KeySet.class);
            if (ks.getSpec().rotation.every != null) assertThat(GoDuration.parse("every", ks.getSpec().rotation.every)).isPositive();
            GoDuration.parse("partyTimeout", ks.getSpec().rotation.partyTimeout);
        }
    }

    @Test
    void theValidatorCatchesTyposWrongTypesAndBadQuantities() throws Exception {
        JsonNode base = YAML.readTree(Path.of("samples/mpccluster-production.yaml").toFile());
        ObjectNode typo = base.deepCopy();
        ((ObjectNode) typo.path("spec").path("parties")).put("treshold", 2);
        assertThat(validate(typo)).extracting(ValidationMessage::getMessage).anySatisfy(m -> assertThat(m).contains("treshold"));
        ObjectNode wrongType = base.deepCopy();
        ((ObjectNode) wrongType.path("spec").path("parties")).put("count", "five");
        assertThat(validate(wrongType)).isNotEmpty();
        ObjectNode badSize = base.deepCopy();
        ((ObjectNode) badSize.path("spec").path("parties").path("storage")).put("size", "ten gigs");
        assertThat(validate(badSize)).extracting(ValidationMessage::getMessage).anySatisfy(m -> assertThat(m).contains("size"));
        ObjectNode tooFew = base.deepCopy();
        ((ObjectNode) tooFew.path("spec").path("parties")).put("count", 1);
        assertThat(validate(tooFew)).isNotEmpty();
        assertThat(List.of(typo, wrongType, badSize, tooFew)).noneMatch(n -> n.equals(base));
        ObjectNode badDuration = YAML.readTree(Path.of("samples/keyset-vault.yaml").toFile()).deepCopy();
        ((ObjectNode) badDuration.path("spec").path("rotation")).put("every", "30 days");
        assertThat(validate(badDuration)).extracting(ValidationMessage::getMessage).anySatisfy(m -> assertThat(m).contains("every"));
    }
}
