// Runtime module: see docs/architecture.md
