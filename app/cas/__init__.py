"""GradWork's math engine: pure Python and sympy, never Flask."""
