// AtomsSimulator module: see docs/architecture.md
