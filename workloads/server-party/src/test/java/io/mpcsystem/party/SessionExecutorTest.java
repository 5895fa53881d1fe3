package io.mpcsystem.party;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.Timestamp;
import io.mpcsystem.keystore.EnvelopeCipher;
import io.mpcsystem.keystore.FileShareStorage;
import io.mpcsystem.keystore.KeyEncryptionKey;
import io.mpcsystem.keystore.KeyRing;
import io.mpcsystem.keystore.KeyShareStore;
import io.mpcsystem.proto.SignedBytes;
import io.mpcsystem.proto.coordinator.v1.PartyIdentity;
import io.mpcsystem.proto.coordinator.v1.ReportOutcomeRequest;
import io.mpcsystem.proto.coordinator.v1.RosterEntry;
import io.mpcsystem.proto.coordinator.v1.Session;
import io.mpcsystem.proto.coordinator.v1.SessionKind;
import io.mpcsystem.tss.Schemes;
import io.mpcsystem.tss.Signature;
import io.mpcsystem.tss.dkls23.Dkls23KeyShare;
import io.mpcsystem.tss.dkls23.Dkls23Scheme;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keygen, sign and refresh sessions as the coordinator would announce them, run by three parties with their own encrypted stores. */
class SessionExecutorTest {
    private static final SecureRandom RND = new SecureRandom();
    private static final ExecutorService POOL = Executors.newFixedThreadPool(3);
    private static final String[] REQUEST_KEYS = io.mpcsystem.proto.RequestAuthorizations.newKeyPair();
    /** The coordinator's own sessions (PRESIGN, REFRESH) carry their creation time in their id. */
    private static final String T = Instant.now().getEpochSecond() + "-";
    private static final java.util.Set<String> PROVISIONED = java.util.Set.of("server-party-1", "server-party-2", "server-party-3");

    @AfterAll
    static void stop() {
        POOL.shutdownNow();
    }

    private record Party(io.mpcsystem.party.PartyIdentity identity, PartyShares shares, PeerQuarantine quarantine, KeyShareStore store,
                         SessionExecutor executor) {
    }

    private static List<Party> parties(Path dir) {
        return parties(dir, SessionBudget.Limits.defaults());
    }

    private static List<Party> parties(Path dir, SessionBudget.Limits limits) {
        List<Party> out = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            var id = io.mpcsystem.party.PartyIdentity.generate("server-party-" + i, RND);
            byte[] kek = new byte[32];
            RND.nextBytes(kek);
            KeyShareStore store = new KeyShareStore(id.partyId(), KeyRing.of(new KeyEncryptionKey(1, kek)),
                    new FileShareStorage(dir.resolve(id.partyId())), new EnvelopeCipher(RND));
            PartyShares shares = new PartyShares(store);
            PeerQuarantine quarantine = new PeerQuarantine(store);
            SessionAdmission admission = new SessionAdmission(io.mpcsystem.proto.RequestAuthorizations.Verifier.fromBase64(REQUEST_KEYS[1]),
                    new PeerPins(store, PROVISIONED, id), shares, new SessionBudget(limits, Clock.systemUTC()), Clock.systemUTC());
            SessionLedger ledger = new SessionLedger(dir.resolve(id.partyId() + "-state").resolve("sessions.ledger"), Clock.systemUTC());
            out.add(new Party(id, shares, quarantine, store, new SessionExecutor(id, shares, quarantine, admission, ledger, RND, Clock.systemUTC())));
        }
        return out;
    }

    private static Session session(String id, SessionKind kind, List<Party> members, List<Integer> indices, String keyId, byte[] message) {
        Session.Builder b = Session.newBuilder().setSessionId(id).setKind(kind).setProtocol("dkls23").setThreshold(2).setParties(3)
                .setKeyId(keyId).setMessage(ByteString.copyFrom(message))
                .setDeadline(Timestamp.newBuilder().setSeconds(Instant.now().plusSeconds(30).getEpochSecond()));
        for (int k = 0; k < members.size(); k++) {
            var id0 = members.get(k).identity();
            b.addRoster(RosterEntry.newBuilder().setIndex(indices.get(k)).setIdentity(PartyIdentity.newBuilder().setPartyId(id0.partyId())
                    .setSigningKey(ByteString.copyFrom(id0.signingKey())).setEncryptionKey(ByteString.copyFrom(id0.encryptionKey()))));
        }
        return authorized(b.build());
    }

    /** The session with the account service's authorization for it, as the coordinator passes it on. */
    static Session authorized(Session s) {
        if (s.getKind() != SessionKind.KEYGEN && s.getKind() != SessionKind.SIGN) return s;
        // signed for exactly this session: its id is the request id, a key generation names its key id
        var a = io.mpcsystem.proto.coordinator.v1.RequestAuthorization.newBuilder().setKind(s.getKind()).setProtocol(s.getProtocol())
                .setRequestId(s.getSessionId());
        io.mpcsystem.proto.RequestAuthorizations.validFor(a, Instant.now(), java.time.Duration.ofMinutes(2));
        if (s.getKind() == SessionKind.SIGN) a.setKeyId(s.getKeyId()).setMessage(s.getMessage()).setAccountId("account-1");
        else a.setKeyId(s.getKeyId()).setThreshold(s.getThreshold()).setParties(s.getParties());
        return s.toBuilder().setAuthorization(io.mpcsystem.proto.RequestAuthorizations.sign(a.build(),
                io.mpcsystem.proto.RequestAuthorizations.Signer.fromBase64(REQUEST_KEYS[0]))).build();
    }

    private static Map<String, ReportOutcomeRequest> runSession(Session s, List<Party> members) throws Exception {
        InMemoryRouter router = new InMemoryRouter();
        Map<String, Future<ReportOutcomeRequest>> futures = new TreeMap<>();
        for (Party p : members) {
            var queue = router.subscribe(p.identity().partyId());
            futures.put(p.identity().partyId(), POOL.submit(() -> p.executor().execute(s, queue, batch -> batch.forEach(router::publish))));
        }
        Map<String, ReportOutcomeRequest> out = new TreeMap<>();
        for (var e : futures.entrySet()) out.put(e.getKey(), e.getValue().get());
        return out;
    }

    private static void assertSignedBy(ReportOutcomeRequest r, Party p) {
        assertThat(io.mpcsystem.proto.Ed25519Signatures.verify(p.identity().signingKey(), SignedBytes.report(r), r.getSignature().toByteArray())).isTrue();
        assertThat(io.mpcsystem.proto.Ed25519Signatures.verify(p.identity().signingKey(), SignedBytes.report(r.toBuilder().setPartyId("someone-else").build()),
                r.getSignature().toByteArray())).isFalse();
    }

    @Test
    void keygenSignRefreshSign(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir);
        Map<String, ReportOutcomeRequest> keygen = runSession(session("s-keygen", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-1", new byte[0]), ps);
        assertThat(keygen.values()).allSatisfy(r -> assertThat(r.hasSuccess()).as(r.toString()).isTrue());
        byte[] pk = keygen.get("server-party-1").getSuccess().getPublicKey().toByteArray();
        assertThat(keygen.values()).allSatisfy(r -> assertThat(r.getSuccess().getPublicKey().toByteArray()).isEqualTo(pk));
        for (int i = 0; i < 3; i++) assertSignedBy(keygen.get(ps.get(i).identity().partyId()), ps.get(i));

        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        List<Party> signers = List.of(ps.get(0), ps.get(2));
        Map<String, ReportOutcomeRequest> sign = runSession(session("s-sign", SessionKind.SIGN, signers, List.of(1, 3), "key-1", hash), signers);
        var success = sign.get("server-party-3").getSuccess();
        Signature sig = new Signature(success.getSignature().toByteArray(), OptionalInt.of(success.getRecoveryId()));
        assertThat(Schemes.byId("dkls23").verify(pk, hash, sig)).isTrue();

        Dkls23KeyShare before = ps.get(1).shares().load("key-1", Dkls23Scheme.INSTANCE).orElseThrow();
        Map<String, ReportOutcomeRequest> refresh = runSession(session(T + "s-refresh", SessionKind.REFRESH, ps, List.of(1, 2, 3), "key-1", new byte[0]), ps);
        assertThat(refresh.values()).allSatisfy(r -> assertThat(r.getSuccess().getPublicKey().toByteArray()).isEqualTo(pk));
        // staged, not yet in use: the coordinator has not yet seen every party succeed
        assertThat(ps.get(1).shares().load("key-1", Dkls23Scheme.INSTANCE).orElseThrow().encode()).isEqualTo(before.encode());
        assertThat(ps.get(1).shares().pending()).containsExactly(new PartyShares.Pending("key-1", T + "s-refresh"));
        for (Party p : ps) new RefreshCommit(p.shares(), p.quarantine()).settle("key-1", T + "s-refresh", RefreshCommit.Outcome.COMPLETED);
        Dkls23KeyShare after = ps.get(1).shares().load("key-1", Dkls23Scheme.INSTANCE).orElseThrow();
        assertThat(after.generation()).isEqualTo(before.generation() + 1);
        assertThat(after.encode()).isNotEqualTo(before.encode());
        assertThat(ps.get(1).shares().pending()).isEmpty();
        assertThat(ps.get(1).store().keyIds()).as("the old generation is gone from disk").filteredOn(k -> k.startsWith("key-")).containsExactly("key-1");

        List<Party> others = List.of(ps.get(1), ps.get(2));
        Map<String, ReportOutcomeRequest> sign2 = runSession(session("s-sign-2", SessionKind.SIGN, others, List.of(2, 3), "key-1", hash), others);
        var s2 = sign2.get("server-party-2").getSuccess();
        assertThat(Schemes.byId("dkls23").verify(pk, hash, new Signature(s2.getSignature().toByteArray(), OptionalInt.of(s2.getRecoveryId())))).isTrue();
    }

    /**
     * Damages the party's OT-extension receiver seeds with party 1 (both seeds of the first OT):
     * its next extension request cannot pass party 1's KOS check.
     */
    private static void damageOtSeedsWithPeer1(Party p, String keyId) {
        byte[] enc = p.store().load(keyId).orElseThrow();
        int receiverSeedsForPeer1 = 177 + 16 + 128 * 32;
        enc[receiverSeedsForPeer1 + 5] ^= 1;
        enc[receiverSeedsForPeer1 + 40] ^= 1;
        p.store().store(keyId, enc);
    }

    @Test
    void aFailedOtExtensionCheckQuarantinesThePeerUntilRefresh(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir);
        runSession(session("q-keygen", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-q", new byte[0]), ps);
        damageOtSeedsWithPeer1(ps.get(2), "key-q");

        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        List<Party> signers = List.of(ps.get(0), ps.get(2));
        Session first = withDeadline(session("q-sign-1", SessionKind.SIGN, signers, List.of(1, 3), "key-q", hash), 3);
        Map<String, ReportOutcomeRequest> r1 = runSession(first, signers);
        assertThat(r1.get("server-party-1").getFailure().getReason()).contains("OT extension consistency check failed");
        assertThat(r1.get("server-party-1").getFailure().getCulpritPartyId()).isEqualTo("server-party-3");
        assertThat(ps.get(0).quarantine().peers("key-q")).containsExactly("server-party-3");

        Session second = withDeadline(session("q-sign-2", SessionKind.SIGN, signers, List.of(1, 3), "key-q", hash), 2);
        Map<String, ReportOutcomeRequest> r2 = runSession(second, signers);
        assertThat(r2.get("server-party-1").getFailure().getReason()).contains("will not sign with server-party-3");

        // a refresh makes fresh base OTs for every pair and, once committed, lifts the quarantine
        runSession(session(T + "q-refresh", SessionKind.REFRESH, ps, List.of(1, 2, 3), "key-q", new byte[0]), ps);
        assertThat(ps.get(0).quarantine().peers("key-q")).as("not before the coordinator saw every party succeed").containsExactly("server-party-3");
        for (Party p : ps) new RefreshCommit(p.shares(), p.quarantine()).settle("key-q", T + "q-refresh", RefreshCommit.Outcome.COMPLETED);
        assertThat(ps.get(0).quarantine().peers("key-q")).isEmpty();
        Map<String, ReportOutcomeRequest> r3 = runSession(session("q-sign-3", SessionKind.SIGN, signers, List.of(1, 3), "key-q", hash), signers);
        assertThat(r3.get("server-party-1").hasSuccess()).as(r3.toString()).isTrue();
    }

    private static Session presigned(String id, Session presign, byte[] hash) {
        return authorized(presign.toBuilder().setSessionId(id).setKind(SessionKind.SIGN).setMessage(ByteString.copyFrom(hash))
                .setPresignatureId(presign.getSessionId()).build());
    }

    @Test
    void presignThenSignInOneStepWithEachPresignatureUsableOnce(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir);
        Map<String, ReportOutcomeRequest> keygen = runSession(session("p-keygen", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-p", new byte[0]), ps);
        byte[] pk = keygen.get("server-party-1").getSuccess().getPublicKey().toByteArray();
        List<Party> signers = List.of(ps.get(0), ps.get(2));
        Session presign = session(T + "p-presign", SessionKind.PRESIGN, signers, List.of(1, 3), "key-p", new byte[0]);
        Map<String, ReportOutcomeRequest> made = runSession(presign, signers);
        byte[] r = made.get("server-party-1").getSuccess().getInstanceKey().toByteArray();
        assertThat(r).hasSize(33);
        assertThat(made.get("server-party-3").getSuccess().getInstanceKey().toByteArray()).isEqualTo(r);
        assertThat(ps.get(0).store().keyIds()).contains(PartyShares.presignatureId("key-p", T + "p-presign"));

        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        Session sign = presigned("p-sign", presign, hash);
        List<io.mpcsystem.tss.dkls23.Dkls23SignatureShare> parts = new ArrayList<>();
        for (int k = 0; k < 2; k++) {
            ReportOutcomeRequest report = signers.get(k).executor().executeWithPresignature(sign);
            assertThat(report.hasSuccess()).as(report.toString()).isTrue();
            assertSignedBy(report, signers.get(k));
            parts.add(io.mpcsystem.tss.dkls23.Dkls23SignatureShare.decode(List.of(1, 3).get(k), report.getSuccess().getSignatureShare().toByteArray()));
        }
        Signature sig = io.mpcsystem.tss.dkls23.Dkls23Combiner.combine(pk, r, hash, java.util.Set.of(1, 3), parts);
        assertThat(Schemes.byId("dkls23").verify(pk, hash, sig)).isTrue();
        assertThat(ps.get(0).store().keyIds()).as("the presignature is gone from disk once used").doesNotContain(PartyShares.presignatureId("key-p", T + "p-presign"));

        // asked again, for another message, the party has nothing to sign with: one nonce, one signature
        byte[] other = new byte[32];
        RND.nextBytes(other);
        ReportOutcomeRequest again = ps.get(0).executor().executeWithPresignature(presigned("p-sign-again", presign, other));
        assertThat(again.getFailure().getReason()).contains("holds no presignature " + T + "p-presign");

        // a presignature cannot be used by other signers than those who made it
        Session presign2 = session(T + "p-presign-2", SessionKind.PRESIGN, signers, List.of(1, 3), "key-p", new byte[0]);
        runSession(presign2, signers);
        Session wrongRoster = authorized(session("p-sign-wrong", SessionKind.SIGN, List.of(ps.get(0), ps.get(1)), List.of(1, 2), "key-p", hash).toBuilder()
                .setPresignatureId(T + "p-presign-2").build());
        assertThat(ps.get(0).executor().executeWithPresignature(wrongRoster).getFailure().getReason()).contains("other signers");

        // a refresh, once committed, takes the key's presignatures with the old shares
        runSession(session(T + "p-presign-3", SessionKind.PRESIGN, signers, List.of(1, 3), "key-p", new byte[0]), signers);
        runSession(session(T + "p-refresh", SessionKind.REFRESH, ps, List.of(1, 2, 3), "key-p", new byte[0]), ps);
        for (Party p : ps) new RefreshCommit(p.shares(), p.quarantine()).settle("key-p", T + "p-refresh", RefreshCommit.Outcome.COMPLETED);
        assertThat(ps.get(2).store().keyIds()).filteredOn(k -> k.startsWith("key-")).containsExactly("key-p");
    }

    private static Session withDeadline(Session s, int seconds) {
        return s.toBuilder().setDeadline(Timestamp.newBuilder().setSeconds(Instant.now().plusSeconds(seconds).getEpochSecond())).build();
    }

    @Test
    void aPartyWithoutTheShareReportsAFailure(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir);
        byte[] hash = new byte[32];
        Session s = session("s-nokey", SessionKind.SIGN, List.of(ps.get(0), ps.get(1)), List.of(1, 2), "no-such-key", hash)
                .toBuilder().setDeadline(Timestamp.newBuilder().setSeconds(Instant.now().plusSeconds(2).getEpochSecond())).build();
        Map<String, ReportOutcomeRequest> reports = runSession(s, List.of(ps.get(0), ps.get(1)));
        assertThat(reports.values()).allSatisfy(r -> {
            assertThat(r.hasFailure()).isTrue();
            assertThat(r.getFailure().getReason()).contains("holds no share of key no-such-key");
        });
        assertSignedBy(reports.get("server-party-1"), ps.get(0));
    }

    @Test
    void aFailedRefreshLeavesEveryPartyOnTheOldGenerationAndACrashIsSettledLater(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir);
        Map<String, ReportOutcomeRequest> keygen = runSession(session("f-keygen", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-f", new byte[0]), ps);
        byte[] pk = keygen.get("server-party-1").getSuccess().getPublicKey().toByteArray();
        List<byte[]> before = new ArrayList<>();
        for (Party p : ps) before.add(p.shares().load("key-f", Dkls23Scheme.INSTANCE).orElseThrow().encode());

        runSession(session(T + "f-refresh-1", SessionKind.REFRESH, ps, List.of(1, 2, 3), "key-f", new byte[0]), ps);
        // the coordinator failed the session (say a report was lost): nobody moves on
        for (Party p : ps) new RefreshCommit(p.shares(), p.quarantine()).settle("key-f", T + "f-refresh-1", RefreshCommit.Outcome.FAILED);
        for (int i = 0; i < 3; i++) {
            assertThat(ps.get(i).shares().load("key-f", Dkls23Scheme.INSTANCE).orElseThrow().encode()).isEqualTo(before.get(i));
            assertThat(ps.get(i).shares().pending()).isEmpty();
        }
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        List<Party> signers = List.of(ps.get(0), ps.get(1));
        var s1 = runSession(session("f-sign-1", SessionKind.SIGN, signers, List.of(1, 2), "key-f", hash), signers).get("server-party-1").getSuccess();
        assertThat(Schemes.byId("dkls23").verify(pk, hash, new Signature(s1.getSignature().toByteArray(), OptionalInt.of(s1.getRecoveryId())))).isTrue();

        // a refresh whose outcome party 3 missed (crash, coordinator unreachable): it stays staged
        // until the outcome is known, then the three parties are on the same generation again
        runSession(session(T + "f-refresh-2", SessionKind.REFRESH, ps, List.of(1, 2, 3), "key-f", new byte[0]), ps);
        for (int i = 0; i < 2; i++) new RefreshCommit(ps.get(i).shares(), ps.get(i).quarantine()).settle("key-f", T + "f-refresh-2", RefreshCommit.Outcome.COMPLETED);
        RefreshCommit restarted = new RefreshCommit(new PartyShares(ps.get(2).store()), ps.get(2).quarantine());
        restarted.settleAll(session -> RefreshCommit.Outcome.UNKNOWN);
        assertThat(ps.get(2).shares().pending()).containsExactly(new PartyShares.Pending("key-f", T + "f-refresh-2"));
        restarted.settleAll(session -> session.equals(T + "f-refresh-2") ? RefreshCommit.Outcome.COMPLETED : RefreshCommit.Outcome.UNKNOWN);
        assertThat(ps.get(2).shares().pending()).isEmpty();
        int generation = ps.get(0).shares().load("key-f", Dkls23Scheme.INSTANCE).orElseThrow().generation();
        for (Party p : ps) assertThat(p.shares().load("key-f", Dkls23Scheme.INSTANCE).orElseThrow().generation()).isEqualTo(generation);
        List<Party> others = List.of(ps.get(1), ps.get(2));
        var s2 = runSession(session("f-sign-2", SessionKind.SIGN, others, List.of(2, 3), "key-f", hash), others).get("server-party-3").getSuccess();
        assertThat(Schemes.byId("dkls23").verify(pk, hash, new Signature(s2.getSignature().toByteArray(), OptionalInt.of(s2.getRecoveryId())))).isTrue();
    }

    @Test
    void whatTheCoordinatorAsksOnItsOwnWordIsBounded(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir, new SessionBudget.Limits(1, 10, 2));
        runSession(session("b-keygen", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-b", new byte[0]), ps);
        List<Party> signers = List.of(ps.get(0), ps.get(1));
        // its sessions carry their creation time, and only recent ones are taken (the ledger keeps an hour)
        java.util.function.Function<String, String> presignAs = id -> refusedBy(ps.get(0).executor(),
                session(id, SessionKind.PRESIGN, signers, List.of(1, 2), "key-b", new byte[0]));
        assertThat(presignAs.apply("b-untimed")).contains("carries no creation time");
        assertThat(presignAs.apply(Instant.now().minus(java.time.Duration.ofMinutes(31)).getEpochSecond() + "-b-old"))
                .contains("sessions of the last 30 minutes only");
        assertThat(presignAs.apply(Instant.now().plus(java.time.Duration.ofMinutes(2)).getEpochSecond() + "-b-ahead"))
                .contains("sessions of the last 30 minutes only");
        runSession(session(T + "b-presign-1", SessionKind.PRESIGN, signers, List.of(1, 2), "key-b", new byte[0]), signers);
        assertThat(ps.get(0).shares().presignaturesHeld("key-b")).isEqualTo(1);
        assertThat(ps.get(0).shares().presignaturesHeld()).isEqualTo(1);
        assertThat(refusedBy(ps.get(0).executor(), session(T + "b-presign-2", SessionKind.PRESIGN, signers, List.of(1, 2), "key-b", new byte[0])))
                .contains("holds 1 presignatures of it").contains("at most 1 per key");
        // two refreshes of the key within the hour, the third refused
        for (String id : List.of(T + "b-refresh-1", T + "b-refresh-2")) {
            runSession(session(id, SessionKind.REFRESH, ps, List.of(1, 2, 3), "key-b", new byte[0]), ps);
            for (Party p : ps) new RefreshCommit(p.shares(), p.quarantine()).settle("key-b", id, RefreshCommit.Outcome.COMPLETED);
        }
        assertThat(refusedBy(ps.get(0).executor(), session(T + "b-refresh-3", SessionKind.REFRESH, ps, List.of(1, 2, 3), "key-b", new byte[0])))
                .contains("refreshed 2 times in the last hour");
        // the refresh discarded the presignatures made with the old shares: presigning is possible again
        assertThat(ps.get(0).shares().presignaturesHeld("key-b")).isZero();
        runSession(session(T + "b-presign-3", SessionKind.PRESIGN, signers, List.of(1, 2), "key-b", new byte[0]), signers);
        assertThat(ps.get(0).shares().presignaturesHeld("key-b")).isEqualTo(1);
    }

    /** Why {@code executor} refuses {@code session}, run alone with a 1 s deadline (no peer ever answers). */
    private static String refusedBy(SessionExecutor executor, Session session) {
        try {
            return failure(executor.execute(withDeadline(session, 1), new java.util.concurrent.LinkedBlockingQueue<>(), b -> {
            }));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String failure(ReportOutcomeRequest r) {
        assertThat(r.hasFailure()).as(r.toString()).isTrue();
        return r.getFailure().getReason();
    }

    @Test
    void partiesTakePartOnlyInWhatTheClientAuthorizedWithProvisionedPeers(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir);
        runSession(session("a-keygen", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-a", new byte[0]), ps);
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        List<Party> signers = List.of(ps.get(0), ps.get(1));
        Party p1 = ps.get(0);
        Session sign = session("a-sign", SessionKind.SIGN, signers, List.of(1, 2), "key-a", hash);
        java.util.function.Function<Session, String> refusal = x -> refusedBy(p1.executor(), x);

        assertThat(refusal.apply(sign.toBuilder().clearAuthorization().build())).contains("carries no authorization");
        byte[] other = hash.clone();
        other[0] ^= 1;
        assertThat(refusal.apply(sign.toBuilder().setMessage(ByteString.copyFrom(other)).build())).contains("does not match the request");
        assertThat(refusal.apply(sign.toBuilder().setKeyId("key-b").build())).contains("does not match the request");
        var forged = sign.getAuthorization().toBuilder().setSignature(ByteString.copyFrom(new byte[64])).build();
        assertThat(refusal.apply(sign.toBuilder().setAuthorization(forged).build())).contains("not signed by the pinned");
        // the coordinator replaying one authorization for a second session: it names the session it may run as
        Session once = session("a-once", SessionKind.SIGN, signers, List.of(1, 2), "key-a", hash);
        runSession(once, signers);
        assertThat(refusal.apply(once.toBuilder().setSessionId("a-twice").build())).contains("is not the request its authorization was signed for");
        // the same session, and so the same authorization, run twice
        assertThat(refusal.apply(once)).contains("has run session a-once before");
        // ... also after a restart: the session ids run are on disk (this once re-armed a used
        // authorization, when which ones were used lived in memory)
        SessionExecutor afterRestart = new SessionExecutor(p1.identity(), p1.shares(), p1.quarantine(),
                new SessionAdmission(io.mpcsystem.proto.RequestAuthorizations.Verifier.fromBase64(REQUEST_KEYS[1]),
                        new PeerPins(p1.store(), PROVISIONED, p1.identity()), p1.shares(), Clock.systemUTC()),
                new SessionLedger(dir.resolve(p1.identity().partyId() + "-state").resolve("sessions.ledger"), Clock.systemUTC()), RND, Clock.systemUTC());
        assertThat(refusedBy(afterRestart, once)).contains("has run session a-once before");
        // a fresh authorization passes admission (and then waits in vain for its peer)
        assertThat(refusedBy(afterRestart, session("a-fresh", SessionKind.SIGN, signers, List.of(1, 2), "key-a", hash)))
                .doesNotContain("authorization").doesNotContain("before");
        // an authorization valid for longer than ten minutes is refused, however it is signed
        var longLived = io.mpcsystem.proto.coordinator.v1.RequestAuthorization.newBuilder().setKind(SessionKind.SIGN).setProtocol("dkls23")
                .setRequestId("a-long").setKeyId("key-a").setMessage(ByteString.copyFrom(hash)).setAccountId("account-1");
        io.mpcsystem.proto.RequestAuthorizations.validFor(longLived, Instant.now(), java.time.Duration.ofMinutes(11));
        Session tooLong = session("a-long", SessionKind.SIGN, signers, List.of(1, 2), "key-a", hash).toBuilder()
                .setAuthorization(io.mpcsystem.proto.RequestAuthorizations.sign(longLived.build(),
                        io.mpcsystem.proto.RequestAuthorizations.Signer.fromBase64(REQUEST_KEYS[0]))).build();
        assertThat(refusal.apply(tooLong)).contains("valid for longer than 10 minutes");
        io.mpcsystem.proto.RequestAuthorizations.validFor(longLived, Instant.now(), java.time.Duration.ofMinutes(10));
        assertThat(refusal.apply(tooLong.toBuilder().setAuthorization(io.mpcsystem.proto.RequestAuthorizations.sign(longLived.build(),
                io.mpcsystem.proto.RequestAuthorizations.Signer.fromBase64(REQUEST_KEYS[0]))).build())).doesNotContain("valid for longer");

        // a key generation authorized for one key id, run under another
        Session keygenB = session("a-kb", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-b", new byte[0]);
        assertThat(refusal.apply(keygenB.toBuilder().setKeyId("key-c").build())).contains("does not match the request");
        // two key generations claiming one id: the second is refused at admission, not at the end
        assertThat(refusedBy(p1.executor(), keygenB)).doesNotContain("claimed").doesNotContain("holds");
        assertThat(refusal.apply(session("a-kb2", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-b", new byte[0])))
                .contains("already holds or has claimed that id");

        // key generation: never threshold 1, never onto an id this party holds or reserves
        assertThat(refusal.apply(authorized(session("a-k1", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-t1", new byte[0]).toBuilder()
                .setThreshold(1).build()))).contains("threshold 1");
        assertThat(refusal.apply(session("a-k2", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-a", new byte[0]))).contains("already holds or has claimed that id");
        assertThat(refusal.apply(session("a-k3", SessionKind.KEYGEN, ps, List.of(1, 2, 3), PartyBootstrap.IDENTITY_ID, new byte[0]))).contains("reserved");

        // a rogue party, or a provisioned one with another party's keys, in the roster
        var rogueId = io.mpcsystem.party.PartyIdentity.generate("aaa-rogue-1", RND);
        Party rogue = new Party(rogueId, null, null, null, null);
        assertThat(refusal.apply(session("a-rogue", SessionKind.SIGN, List.of(p1, rogue), List.of(1, 2), "key-a", hash)))
                .contains("aaa-rogue-1, which is not one of the provisioned parties");
        var impostorId = io.mpcsystem.party.PartyIdentity.generate("server-party-2", RND);
        Party impostor = new Party(impostorId, null, null, null, null);
        assertThat(refusal.apply(session("a-impostor", SessionKind.SIGN, List.of(p1, impostor), List.of(1, 2), "key-a", hash)))
                .contains("gives server-party-2 other identity keys than the ones pinned for it");
        // the pins survive a restart; an operator re-provisioning server-party-2 lifts its pin for one start
        PeerPins restarted = new PeerPins(p1.store(), PROVISIONED, p1.identity());
        Roster withImpostor = Roster.fromProto(session("x", SessionKind.SIGN, List.of(p1, impostor), List.of(1, 2), "key-a", hash).getRosterList());
        assertThatThrownBy(() -> restarted.check(withImpostor)).hasMessageContaining("pinned");
        new PeerPins(p1.store(), PROVISIONED, p1.identity(), java.util.Set.of("server-party-2")).check(withImpostor);
        assertThatThrownBy(() -> new PeerPins(p1.store(), PROVISIONED, p1.identity()).check(
                Roster.fromProto(session("y", SessionKind.SIGN, List.of(p1, ps.get(1)), List.of(1, 2), "key-a", hash).getRosterList())))
                .as("the new keys are pinned in turn").hasMessageContaining("pinned");
    }

    @Test
    void concurrentInvitationsForOnePresignatureGiveAtMostOneShare(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir);
        runSession(session("c-keygen", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-c", new byte[0]), ps);
        List<Party> signers = List.of(ps.get(0), ps.get(1));
        Session presign = session(T + "c-presign", SessionKind.PRESIGN, signers, List.of(1, 2), "key-c", new byte[0]);
        runSession(presign, signers);
        ExecutorService many = Executors.newFixedThreadPool(8);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<Future<ReportOutcomeRequest>> reports = new ArrayList<>();
            for (int k = 0; k < 16; k++) {
                byte[] h = new byte[32];
                RND.nextBytes(h);
                Session sign = presigned("c-sign-" + k, presign, h);
                reports.add(many.submit(() -> {
                    go.await();
                    return ps.get(0).executor().executeWithPresignature(sign);
                }));
            }
            go.countDown();
            int shares = 0;
            for (var f : reports) if (f.get().hasSuccess()) shares++;
            assertThat(shares).as("signature shares released for one presignature").isEqualTo(1);
        } finally {
            many.shutdownNow();
        }
    }

    @Test
    void aFailedOtExtensionCheckStopsTheRunningSessionsWithThatPeerToo(@TempDir Path dir) throws Exception {
        List<Party> ps = parties(dir);
        runSession(session("r-keygen", SessionKind.KEYGEN, ps, List.of(1, 2, 3), "key-r", new byte[0]), ps);
        damageOtSeedsWithPeer1(ps.get(2), "key-r");
        byte[] hash = new byte[32];
        RND.nextBytes(hash);
        List<Party> signers = List.of(ps.get(0), ps.get(2));
        // a session of party 1 with party 3 that waits (party 3 never answers in it)
        Session waiting = withDeadline(session("r-waiting", SessionKind.SIGN, signers, List.of(1, 3), "key-r", hash), 60);
        Future<ReportOutcomeRequest> stalled = POOL.submit(() -> ps.get(0).executor().execute(waiting, new java.util.concurrent.LinkedBlockingQueue<>(), b -> {
        }));
        Map<String, ReportOutcomeRequest> failed = runSession(session("r-sign", SessionKind.SIGN, signers, List.of(1, 3), "key-r", hash), signers);
        assertThat(failure(failed.get("server-party-1"))).contains("OT extension consistency check failed");
        // stopped at once, long before its 60 s deadline, naming the peer and the session that caught it
        String reason = failure(stalled.get(20, java.util.concurrent.TimeUnit.SECONDS));
        assertThat(reason).contains("server-party-3 failed an OT-extension check").contains("r-sign").doesNotContain("timed out");
    }
}
