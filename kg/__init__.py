"""envgov-kg: build, validate and query the environmental-governance knowledge graph."""
