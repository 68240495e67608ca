"""Operations: the heartbeat of periodic tasks and the reachability checks behind /healthz."""
