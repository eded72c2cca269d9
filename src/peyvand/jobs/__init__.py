"""Background jobs: a jobs table (transactional outbox) and a worker; see `enqueue`."""
