"""LTI 1.3 Advantage: the tool's side of Core launches, Deep Linking 2.0, Assignment and Grade
Services 2.0 and Names and Role Provisioning Services 2.0. JWTs are signed and verified by
PyJWT (with `cryptography`); this package decides what is checked and what it means."""
