"""Cross-cutting pieces: database types, access policies, security headers, i18n, errors."""
