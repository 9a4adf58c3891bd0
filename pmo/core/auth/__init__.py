"""Sign-in hardening: lockout, session timeouts, password profiles, second factor."""
