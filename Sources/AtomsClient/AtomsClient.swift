// AtomsClient module: see docs/architecture.md
