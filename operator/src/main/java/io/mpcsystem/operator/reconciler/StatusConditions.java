package io.mpcsystem.operator.reconciler;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Sets a condition, keeping its lastTransitionTime unless its status changes. */
public final class StatusConditions {
    private StatusConditions() {
    }

    public static List<Condition> set(List<Condition> current, String type, boolean status, String reason, String message, long generation, Instant now) {
        List<Condition> out = new ArrayList<>();
        String value = status ? "True" : "False";
        String since = now.toString();
        for (Condition c : current == null ? List.<Condition>of() : current) {
            if (c.getType().equals(type)) {
                if (value.equals(c.getStatus())) since = c.getLastTransitionTime();
            } else {
                out.add(c);
            }
        }
        out.add(new ConditionBuilder().withType(type).withStatus(value).withReason(reason).withMessage(message)
                .withObservedGeneration(generation).withLastTransitionTime(since).build());
        return out;
    }

    /** Whether setting this status and message would change the condition (an Event is worth sending then). */
    public static boolean changes(List<Condition> current, String type, boolean status, String message) {
        String value = status ? "True" : "False";
        for (Condition c : current == null ? List.<Condition>of() : current) {
            if (c.getType().equals(type)) return !value.equals(c.getStatus()) || !message.equals(c.getMessage());
        }
        return true;
    }

    public static List<Condition> remove(List<Condition> current, String type) {
        List<Condition> out = new ArrayList<>();
        for (Condition c : current == null ? List.<Condition>of() : current) if (!c.getType().equals(type)) out.add(c);
        return out;
    }
}
