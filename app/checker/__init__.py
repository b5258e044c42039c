"""The checker: every piece of engine work runs in a worker process under hard limits.

`client.Checker` is what the app calls; `tasks` is what runs in the workers; `pool` keeps the
workers; `boot` is what their fork server preloads; `results` and `requests` are the types
that cross the boundary.
"""
