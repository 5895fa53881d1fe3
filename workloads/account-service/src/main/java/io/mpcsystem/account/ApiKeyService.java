package io.mpcsystem.account;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;

/**
 * API key management (scope admin). An admin key manages the keys of its own tenant; an admin
 * key of tenant 'default' (the bootstrap key's) manages every tenant's, since it hands out each
 * new tenant's first key. A key is shown once, when it is made; only its hash is stored.
 */
@ApplicationScoped
public class ApiKeyService {
    private static final Logger LOG = Logger.getLogger(ApiKeyService.class);
    static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");
    private static final int KEY_BYTES = 32;

    private final ApiKeyRepository keys;
    private final SecureRandom random = new SecureRandom();

    ApiKeyService(ApiKeyRepository keys) {
        this.keys = keys;
    }

    public ApiKeyView create(ApiKeyPrincipal caller, CreateApiKeyRequest body) {
        caller.require(Scope.ADMIN);
        if (body == null) throw ApiProblem.badRequest("a JSON request body is required");
        String label = label(body.label());
        String tenant = body.tenant() == null ? caller.tenant() : body.tenant();
        if (!TENANT.matcher(tenant).matches()) {
            throw ApiProblem.badRequest("field 'tenant' must be 1 to 63 characters of a-z, 0-9, '.', '_', '-', starting with a letter or digit");
        }
        if (!caller.administersAllTenants() && !tenant.equals(caller.tenant())) {
            throw ApiProblem.forbidden("this API key manages only the keys of its own tenant");
        }
        Set<Scope> scopes = scopes(body.scopes());
        byte[] secret = new byte[KEY_BYTES];
        random.nextBytes(secret);
        String key = "mpc_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        ApiKeyRepository.ApiKeyRecord created = keys.create(ApiKeyHash.of(key), label, tenant, scopes, caller.id());
        LOG.infof("API key %s created for tenant %s with scopes %s by API key %s", created.id(), tenant, scopes, caller.id());
        return ApiKeyView.of(created, key);
    }

    public List<ApiKeyView> list(ApiKeyPrincipal caller) {
        caller.require(Scope.ADMIN);
        return keys.list(scope(caller)).stream().map(ApiKeyView::of).toList();
    }

    public void revoke(ApiKeyPrincipal caller, String idText) {
        caller.require(Scope.ADMIN);
        UUID id;
        try {
            id = UUID.fromString(idText);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiProblem.badRequest("API key id must be a UUID");
        }
        // another tenant's key is answered like one that does not exist
        if (!keys.revoke(id, scope(caller))) throw ApiProblem.notFound("no API key with id " + id);
        LOG.infof("API key %s revoked by API key %s", id, caller.id());
    }

    private static Optional<String> scope(ApiKeyPrincipal caller) {
        return caller.administersAllTenants() ? Optional.empty() : Optional.of(caller.tenant());
    }

    private static String label(String label) {
        if (label == null || label.isBlank()) throw ApiProblem.badRequest("field 'label' is required");
        if (label.length() > AccountService.MAX_LABEL) {
            throw ApiProblem.badRequest("field 'label' must be at most " + AccountService.MAX_LABEL + " characters");
        }
        if (label.chars().anyMatch(Character::isISOControl)) throw ApiProblem.badRequest("field 'label' must not contain control characters");
        return label;
    }

    private static Set<Scope> scopes(List<String> names) {
        if (names == null || names.isEmpty()) throw ApiProblem.badRequest("field 'scopes' must name at least one of read, sign, admin");
        Set<Scope> scopes = EnumSet.noneOf(Scope.class);
        for (String name : names) scopes.add(Scope.byId(name));
        return scopes;
    }
}
