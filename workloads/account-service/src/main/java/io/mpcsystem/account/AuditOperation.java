package io.mpcsystem.account;

/** What an audited request asked for. */
public enum AuditOperation {
    KEYGEN,
    SIGN
}
