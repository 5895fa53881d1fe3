package io.mpcsystem.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CRDs checked into crds/ are exactly what the build generates from the Java classes. */
class CrdDriftTest {
    @Test
    void checkedInCrdsMatchTheGeneratedOnes() throws Exception {
        Path generated = Path.of("target/classes/META-INF/fabric8");
        Path checkedIn = Path.of("../crds");
        try (Stream<Path> files = Files.list(generated)) {
            for (Path g : files.filter(p -> p.toString().endsWith(".yml")).toList()) {
                Path c = checkedIn.resolve(g.getFileName());
                assertThat(c).as("run: cp operator/%s crds/", g).exists();
                assertThat(Files.readString(c)).as("crds/%s is out of date: cp operator/%s crds/", g.getFileName(), g).isEqualTo(Files.readString(g));
            }
        }
    }
}
