"""Background work that must not be lost: the job table (regrades, exports) and the LTI score
outbox, run by RQ workers when `GRADWORK_REDIS_URL` is set and by a thread of the app
process otherwise. Database rows are the truth; a queue message only says "look now".

Services only write rows (`app.services.jobs.queue.enqueue`, the score outbox); this package
drives them from outside a request: `dispatch` wakes a worker after the transaction that
wrote them commits, `runner` claims and runs a job, `tasks` is what each kind of job does,
`worker` is `flask jobs worker`, `embedded` is the app's own thread without Redis.
"""
