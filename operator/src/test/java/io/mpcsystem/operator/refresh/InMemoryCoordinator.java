package io.mpcsystem.operator.refresh;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The coordinator as the share refresh sees it, in memory, with the rule the real one enforces:
 * one refresh session of a key at a time. Sessions stay RUNNING until the test ends them.
 */
public class InMemoryCoordinator implements RefreshCoordinator {
    final TreeSet<String> keys = new TreeSet<>();
    public final Map<String, String> sessionKey = new LinkedHashMap<>();
    public final Map<String, SessionState> sessions = new HashMap<>();
    /** Completed refreshes per key: the shares' generation. */
    public final Map<String, Integer> generations = new HashMap<>();
    public final List<String> started = new ArrayList<>();
    boolean down;
    private int next = 1;

    public InMemoryCoordinator(String... ids) {
        keys.addAll(List.of(ids));
    }

    @Override
    public List<String> keys(String after, int limit) {
        if (down) throw new Unavailable("connection refused");
        return (after == null ? keys : keys.tailSet(after, false)).stream().limit(limit).toList();
    }

    @Override
    public StartResult start(String keyId) {
        if (down) throw new Unavailable("connection refused");
        if (!keys.contains(keyId)) return new NoSuchKey("no key " + keyId);
        for (var e : sessionKey.entrySet()) {
            if (e.getValue().equals(keyId) && running(e.getKey())) return new Busy("key " + keyId + " is being refreshed by session " + e.getKey());
        }
        String id = "s-" + next++;
        sessionKey.put(id, keyId);
        sessions.put(id, new SessionState("RUNNING", null, null));
        started.add(keyId);
        return new Started(id);
    }

    @Override
    public SessionState session(String sessionId) {
        if (down) throw new Unavailable("connection refused");
        SessionState s = sessions.get(sessionId);
        if (s == null) throw new Unavailable("no session " + sessionId);
        return s;
    }

    public boolean running(String id) {
        String st = sessions.get(id).status();
        return st.equals("RUNNING") || st.equals("PENDING");
    }

    long runningCount() {
        return sessions.keySet().stream().filter(this::running).count();
    }

    /** Ends every running session well, as the parties would after a good refresh. */
    public void completeRunning() {
        for (String id : List.copyOf(sessions.keySet())) {
            if (running(id)) {
                sessions.put(id, new SessionState("COMPLETED", null, null));
                generations.merge(sessionKey.get(id), 1, Integer::sum);
            }
        }
    }

    public void failRunning(String reason, String culprit) {
        for (String id : List.copyOf(sessions.keySet())) {
            if (running(id)) sessions.put(id, new SessionState("FAILED", reason, culprit));
        }
    }

    String runningKey() {
        return sessionKey.entrySet().stream().filter(e -> running(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
    }
}
