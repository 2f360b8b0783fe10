// Terminal module: see docs/architecture.md
