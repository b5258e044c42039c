"""Domain operations. They flush, never commit: the request or CLI command owns the
transaction."""
