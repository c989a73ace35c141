package dev.drydock.taskqueue.internal;

import dev.drydock.taskqueue.Task;

/**
 * One claimed execution of a task: the task plus the claim token that guards every change to it.
 *
 * @param keyed whether the task holds a serialization key, which finishing it frees for a waiter
 */
record Run(Task task, long claimId, long backoffMs, long backoffMaxMs, boolean keyed) {}
