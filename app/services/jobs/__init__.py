"""Background work that must not be lost: the job table (regrades, exports) and the LTI score
outbox, run by RQ workers when `GRADWORK_REDIS_URL` is set and by a thread of the app
process otherwise. Database rows are the truth; a queue message only says "look now"."""
