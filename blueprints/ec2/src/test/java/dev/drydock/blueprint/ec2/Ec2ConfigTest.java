package dev.drydock.blueprint.ec2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.drydock.api.InvalidRequestException;
import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * An ec2-host configuration is checked at {@code blueprint create}: each mistake is refused with a
 * message naming its field and what to write, nothing is stored, and a secret written where a
 * reference belongs is never quoted back. The checks start nothing, so the tests share one fixture;
 * each still ends with no blueprint stored, as the next one expects.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class Ec2ConfigTest {
    private static final String INLINE_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    @TempDir
    static Path dir;
    private Ec2Fixture ec2;

    @BeforeAll
    void startEc2(TestDatabase db) {
        ec2 = new Ec2Fixture(db, dir, Ec2Fixture.fast());
    }

    @AfterEach
    void removeWhatATestStored() {
        ec2.cleanUp();
    }

    @AfterAll
    void endEc2() {
        ec2.close();
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "region           | \"mars-north\"                | region: required: an EC2 region",
            "endpoint         | \"ftp://127.0.0.1\"           | endpoint: must be http(s)://host[:port]",
            "imageId          | \"ubuntu\"                    | imageId: required: an AMI id",
            "instanceTypes    | []                          | instanceTypes: required: a list of instance types",
            "instanceTypes    | [\"t3.micro\", \"t3.micro\"]  | instanceTypes: lists an entry twice",
            "subnets          | [\"subnet-1\"]               | subnets[0]: must be one of subnet ids",
            "securityGroups   | [\"default\"]                | securityGroups[0]: must be one of security group ids",
            "keyName          | \"\"                          | keyName: required: the name of the EC2 key pair",
            "privateKey       | \"file:/nonexistent/key\"     | file /nonexistent/key does not exist",
            "sshUser          | \"Root User\"                 | sshUser: must be a login name",
            "sshPort          | 70000                       | sshPort: must be 1 to 65535",
            "root             | \"/tmp/../etc\"                | root: must not contain '..' segments",
            "root             | \"drydock\"                   | root: must be an absolute path",
            "root             | \"/\"                         | root: must be a directory below /",
            "tags             | {\"drydock-resource\": \"1\"}  | tags.drydock-resource: a tag key",
            "rootVolumeGb     | 0                           | rootVolumeGb: must be 1 to 16384",
            "capacity         | 0                           | capacity: leases per instance must be 1 to 1000",
            "keepIdleMinutes  | -1                          | keepIdleMinutes: must be 0",
            "hostKeyTrust     | \"any\"                       | hostKeyTrust: must be 'console' (the default) or 'first-use'",
            "listSeconds      | 0.001                       | listSeconds: must be 0.05 to 600",
            "callsPerSecond   | 5000                        | callsPerSecond: must be 0.1 to 1000",
            "quotaPauseSeconds| 0                           | quotaPauseSeconds: must be 1 to 3600",
            "unknownField     | 1                           | unknownField"})
    void aMistakeIsRefusedNamingItsFieldAndNothingIsStored(String field, String value, String expected) {
        assertThatThrownBy(() -> ec2.drydock.blueprints().create("checked", Ec2HostBlueprint.TYPE, ec2.config(Map.of(field, value)), 2))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(expected);
        assertThat(ec2.drydock.blueprints().find("checked")).isEmpty();
    }

    @Test
    void aSecretWrittenWhereAReferenceBelongsIsRefusedWithoutBeingQuoted() {
        assertThatThrownBy(() -> ec2.drydock.blueprints().create("inline", Ec2HostBlueprint.TYPE,
                ec2.config(Map.of("secretAccessKey", "\"" + INLINE_SECRET + "\"")), 2))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("secretAccessKey: must be a reference such as file:PATH or env:NAME")
                .hasMessageNotContaining(INLINE_SECRET);
        assertThat(ec2.drydock.blueprints().find("inline")).isEmpty();
    }

    @Test
    void oneKeyWithoutTheOtherIsRefused() {
        String config = ec2.config(Map.of()).replaceFirst("\"accessKeyId\": \"[^\"]*\", ", "");
        assertThatThrownBy(() -> ec2.drydock.blueprints().create("half", Ec2HostBlueprint.TYPE, config, 2))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("accessKeyId: set both accessKeyId and secretAccessKey");
    }

    @Test
    void aValidConfigurationIsStored() {
        ec2.drydock.blueprints().create("fine", Ec2HostBlueprint.TYPE, ec2.config(Map.of()), 2);
        assertThat(ec2.drydock.blueprints().find("fine")).isPresent();
        ec2.drydock.blueprints().delete("fine");
    }
}
