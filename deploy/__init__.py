"""Deployment tooling: container image, compose file, Kubernetes manifests and operator scripts.

Modules here run inside the service image (`python -m deploy.create_topics`,
`python -m deploy.replay_dlt`, `python -m deploy.healthcheck`); see deploy/RUNBOOK.md.
"""
