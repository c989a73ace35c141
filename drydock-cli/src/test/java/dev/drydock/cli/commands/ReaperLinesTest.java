package dev.drydock.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.drydock.core.Reapers;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code status} speaks of reapers only when they have something to tell, and then says what and where. */
class ReaperLinesTest {
    @Test
    void quietReapersSayNothing() {
        assertThat(ReaperLines.of(new Reapers(List.of()))).isEmpty();
        assertThat(ReaperLines.of(new Reapers(List.of(new Reapers.Blueprint("ec2-a", 0, 0, 0, List.of()))))).isEmpty();
    }

    @Test
    void countsByBlueprintThenWhatWaitsThenEachProblem() {
        Reapers reapers = new Reapers(List.of(
                new Reapers.Blueprint("ec2-a", 3, 1, 0, List.of()),
                new Reapers.Blueprint("ec2-b", 0, 2, 1, List.of("failing to destroy i-0abc: permission denied")),
                new Reapers.Blueprint("vm-c", 0, 0, 0, List.of("its latest pass could not list with the current configuration: timed out;"
                        + " it lists again each pass, and destroys nothing on a failed listing's word"))));
        assertThat(ReaperLines.of(reapers)).containsExactly(
                "reapers: 3 objects reaped (blueprint ec2-a: 3), 2 waiting for their second pass, 1 failing to destroy (tried again each pass)",
                "  blueprint ec2-b: failing to destroy i-0abc: permission denied",
                "  blueprint vm-c: its latest pass could not list with the current configuration: timed out;"
                        + " it lists again each pass, and destroys nothing on a failed listing's word");
    }

    @Test
    void oneWaitingAndNothingReapedYet() {
        assertThat(ReaperLines.of(new Reapers(List.of(new Reapers.Blueprint("ec2-a", 0, 1, 0, List.of())))))
                .containsExactly("reapers: 0 objects reaped, 1 waiting for its second pass");
    }
}
