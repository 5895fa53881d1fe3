package io.mpcsystem.router;

import io.mpcsystem.proto.router.v1.Envelope;
import java.util.regex.Pattern;

/** The shape every envelope must have before the router stores it; the router cannot check signatures (it has no roster). */
final class EnvelopeValidator {
    static final int MAX_PAYLOAD = 1024 * 1024;
    private static final Pattern SESSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final Pattern PARTY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private EnvelopeValidator() {
    }

    /** @return null when valid, else what is wrong */
    static String problem(Envelope e) {
        if (!SESSION.matcher(e.getSessionId()).matches()) return "session_id must be 1-128 characters of letters, digits, '.', '_' or '-'";
        if (e.getRound() < 1) return "round must be at least 1";
        if (!PARTY.matcher(e.getFromParty()).matches()) return "from_party must be 1-64 characters of letters, digits, '.', '_' or '-'";
        if (!e.getToParty().isEmpty() && !PARTY.matcher(e.getToParty()).matches()) return "to_party must be empty (broadcast) or a party id";
        if (e.getFromParty().equals(e.getToParty())) return "a party does not send to itself";
        if (e.getPayload().isEmpty()) return "payload is empty";
        if (e.getPayload().size() > MAX_PAYLOAD) return "payload exceeds " + MAX_PAYLOAD + " bytes";
        if (e.getSignature().size() != 64) return "signature must be 64 bytes (Ed25519)";
        return null;
    }

    static String subscriptionProblem(String sessionId, String partyId) {
        if (!SESSION.matcher(sessionId).matches()) return "session_id must be 1-128 characters of letters, digits, '.', '_' or '-'";
        if (!PARTY.matcher(partyId).matches()) return "party_id must be 1-64 characters of letters, digits, '.', '_' or '-'";
        return null;
    }
}
