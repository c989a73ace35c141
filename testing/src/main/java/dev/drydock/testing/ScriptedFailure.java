package dev.drydock.testing;

import dev.drydock.api.DrydockException;

/** What a {@link ScriptedBlueprint} step throws when its script says {@link ScriptedOutcome.Throws}. */
public final class ScriptedFailure extends DrydockException {
    private static final long serialVersionUID = 1L;

    public ScriptedFailure(String message) {
        super(message);
    }
}
