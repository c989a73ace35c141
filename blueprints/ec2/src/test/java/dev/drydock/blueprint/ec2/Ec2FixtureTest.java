package dev.drydock.blueprint.ec2;

import dev.drydock.testing.LeakCheck;
import dev.drydock.testing.PostgresExtension;
import dev.drydock.testing.TestDatabase;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * A test class whose every test gets a fresh {@link Ec2Fixture} (fast fake EC2, Drydock and
 * taskmaster on the class's database), and whose clean-up ends everything the test started, so
 * that {@link LeakCheck} finds nothing left behind.
 */
@ExtendWith({PostgresExtension.class, LeakCheck.class})
abstract class Ec2FixtureTest {
    @TempDir
    Path dir;
    TestDatabase db;
    Ec2Fixture ec2;

    @BeforeEach
    void startEc2(TestDatabase db) {
        this.db = db;
        this.ec2 = new Ec2Fixture(db, dir, Ec2Fixture.fast());
    }

    @AfterEach
    void endEc2() {
        try {
            ec2.cleanUp();
        } finally {
            ec2.close();
        }
    }
}
