"""The topic names of the contract between services (design.md "Events").

Topic names, not payloads: each service keeps its own event schemas. Operators create these topics
(with their `.dlt` twins) before the workers start; see deploy/.
"""
RETURNEES = "homeward.returnees"
HANDOVERS = "homeward.handovers"
MONITORING = "homeward.monitoring"
INSIGHTS = "homeward.insights"

ALL = (RETURNEES, HANDOVERS, MONITORING, INSIGHTS)
PARTITIONS = 12  # production partition count: the ceiling for worker replicas per consumer group


def dead_letter(topic: str) -> str:
    return f"{topic}.dlt"
