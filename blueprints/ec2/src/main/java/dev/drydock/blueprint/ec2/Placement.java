package dev.drydock.blueprint.ec2;

import java.util.ArrayList;
import java.util.List;

/** Where one launch asks for an instance: a subnet (so a zone), an instance type, spot or on-demand. */
record Placement(String subnet, String instanceType, boolean spot) {
    /**
     * Every placement {@code config} allows, in the order builds try them: the preferred type in
     * each subnet before the next type, and, for spot, every spot placement before on-demand ones.
     */
    static List<Placement> all(Ec2HostConfig config) {
        List<Placement> all = new ArrayList<>();
        List<Boolean> markets = !config.isSpot() ? List.of(false) : config.fallsBackToOnDemand() ? List.of(true, false) : List.of(true);
        for (boolean spot : markets) {
            for (String type : config.instanceTypes()) {
                for (String subnet : config.subnets()) {
                    all.add(new Placement(subnet, type, spot));
                }
            }
        }
        return List.copyOf(all);
    }

    @Override
    public String toString() {
        return instanceType + " in " + subnet + (spot ? " (spot)" : "");
    }
}
