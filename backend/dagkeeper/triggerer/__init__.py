"""The triggerer: one process, one asyncio loop, many deferred waits, no worker slot each."""
