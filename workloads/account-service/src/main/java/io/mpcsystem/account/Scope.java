package io.mpcsystem.account;

import java.util.Locale;

/** What an API key may do: read accounts, sign (and create accounts), administer API keys. */
public enum Scope {
    READ, SIGN, ADMIN;

    /** The name in the API and the database: lower case. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws ApiProblem 400 for a name that is not a scope */
    public static Scope byId(String id) {
        for (Scope s : values()) {
            if (s.id().equals(id)) return s;
        }
        throw ApiProblem.badRequest("unknown scope in field 'scopes'; known: read, sign, admin");
    }
}
